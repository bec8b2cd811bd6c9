#!/usr/bin/python3
"""A TLS server of another age: TLS 1.0 and 1.1 only, as some old mail
servers still are. Makes its own throw-away certificate with openssl.

    python3 old_tls.py

Prints the loopback port it listens on, then serves until killed.
Standard library and the openssl command only.
"""
import socket
import ssl
import subprocess
import sys
import tempfile
import warnings


def context():
    """TLS 1.0-1.1 only, with a certificate made and loaded on the spot."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    with tempfile.TemporaryDirectory(prefix="old-tls-") as tmp:
        key, cert = f"{tmp}/key.pem", f"{tmp}/cert.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
             "-out", cert, "-days", "1", "-subj", "/CN=old.example.test"],
            check=True, capture_output=True,
        )
        ctx.load_cert_chain(cert, key)
    return ctx


def main():
    ctx = context()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    print(server.getsockname()[1], flush=True)
    while True:
        conn, _ = server.accept()
        conn.settimeout(5)
        try:
            ctx.wrap_socket(conn, server_side=True).close()
        except (OSError, ssl.SSLError):
            conn.close()


if __name__ == "__main__":
    sys.exit(main())
