#!/usr/bin/python3
"""Hostile mail servers: each mode misbehaves in one way a real attacker
(or a broken server) could, to prove mailwiz's reads are bounded in size
and time.

    python3 hostile.py MODE HOST PORT [CERT KEY]

Prints "hostile MODE listening on HOST:PORT" once listening. Modes:

  endless-greeting   SMTP: "220 " then 'x' forever, never a line end
  drip               SMTP: "220 slow\\r\\n" one byte per second, forever
  endless-ehlo       SMTP: a normal greeting, then "250-" lines, one per
                     second, forever
  tls-drip           implicit TLS: the header of a 16 KiB TLS handshake
                     record, then one byte of it per second, forever
  imap-literal       IMAP: announces a {4294967295} literal, then sends
                     it as fast as the client reads
  imap-untagged      IMAP: after CAPABILITY, untagged lines forever (fast)
  pop3-capa          POP3: CAPA answered with lines forever, never the "."
  starttls-inject    SMTP with STARTTLS (needs CERT and KEY): right after
                     "220 go ahead" it sends, in clear, the answers to the
                     client's next EHLO and AUTH ("250 AUTH PLAIN",
                     "235 ok"), then does a real TLS handshake and, inside
                     TLS, refuses AUTH with 535. A client that reads buffered
                     plaintext after STARTTLS believes the login worked.
  oauth-5.7.139      SMTP over implicit TLS (needs CERT and KEY) offering
                     AUTH XOAUTH2, which it answers as Microsoft 365 does when
                     SMTP AUTH is off for the tenant or mailbox: 535 5.7.139
  oauth-5.7.3        the same, answering 535 5.7.3 (a token without the
                     SMTP scope)
  smtp-no-oauth      SMTP over implicit TLS offering only AUTH PLAIN LOGIN
  imap-no-oauth      IMAP over implicit TLS offering only AUTH=PLAIN

Standard library only (any python3 works).
"""
import asyncio
import ssl
import sys

MODE = sys.argv[1]
HOST = sys.argv[2]
PORT = int(sys.argv[3])
CERT = sys.argv[4] if len(sys.argv) > 4 else None
KEY = sys.argv[5] if len(sys.argv) > 5 else None


async def send(writer, data):
    writer.write(data)
    await writer.drain()


async def endless_greeting(reader, writer):
    await send(writer, b"220 ")
    chunk = b"x" * 65536
    while True:
        await send(writer, chunk)
        await asyncio.sleep(0.001)


async def drip(reader, writer):
    while True:
        for b in b"220 slow\r\n":
            await send(writer, bytes([b]))
            await asyncio.sleep(1)


async def tls_drip(reader, writer):
    await send(writer, b"\x16\x03\x03\x40\x00")
    while True:
        await asyncio.sleep(1)
        await send(writer, b"\x00")


async def endless_ehlo(reader, writer):
    await send(writer, b"220 hostile ESMTP\r\n")
    await reader.readline()
    n = 0
    while True:
        n += 1
        await send(writer, b"250-EXTENSION%d\r\n" % n)
        await asyncio.sleep(1)


async def imap_literal(reader, writer):
    await send(writer, b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hostile\r\n")
    line = await reader.readline()
    tag = line.split(b" ")[0] if line else b"a1"
    await send(writer, b"* CAPABILITY IMAP4rev1 {4294967295}\r\n")
    chunk = b"A" * (1 << 20)
    while True:
        await send(writer, chunk)


async def imap_untagged(reader, writer):
    await send(writer, b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hostile\r\n")
    await reader.readline()
    line = b"* 1 EXISTS " + b"y" * 200 + b"\r\n"
    block = line * 5000
    while True:
        await send(writer, block)
        await asyncio.sleep(0)


async def pop3_capa(reader, writer):
    await send(writer, b"+OK hostile POP3\r\n")
    await reader.readline()
    await send(writer, b"+OK capabilities follow\r\n")
    block = (b"X-CAPABILITY " + b"z" * 200 + b"\r\n") * 5000
    while True:
        await send(writer, block)
        await asyncio.sleep(0)


async def starttls_inject(reader, writer):
    await send(writer, b"220 hostile ESMTP\r\n")
    while True:
        line = await reader.readline()
        if not line:
            return
        if line[:8].upper() == b"STARTTLS":
            break
        await send(writer, b"250-hostile\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n")
    # The forged answers ride in the same segment as the 220.
    await send(
        writer,
        b"220 go ahead\r\n"
        b"250-forged\r\n250 AUTH PLAIN\r\n"
        b"235 2.7.0 forged: authentication succeeded\r\n",
    )
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(CERT, KEY)
    try:
        await writer.start_tls(ctx)
    except Exception as e:
        print(f"TLS handshake failed: {e!r}", file=sys.stderr, flush=True)
        return
    while True:
        line = await reader.readline()
        if not line:
            return
        verb = line[:4].upper()
        if verb == b"EHLO":
            await send(writer, b"250-hostile\r\n250 AUTH PLAIN\r\n")
        elif verb == b"AUTH":
            await send(writer, b"535 5.7.8 the real server refused\r\n")
        elif verb == b"QUIT":
            await send(writer, b"221 bye\r\n")
            return
        else:
            await send(writer, b"250 ok\r\n")


async def smtp_auth_reply(reader, writer, mechanisms, auth_reply):
    await send(writer, b"220 hostile ESMTP\r\n")
    while True:
        line = await reader.readline()
        if not line:
            return
        verb = line[:4].upper()
        if verb == b"EHLO":
            await send(writer, b"250-hostile\r\n250 AUTH " + mechanisms + b"\r\n")
        elif verb == b"AUTH":
            await send(writer, auth_reply)
        elif verb == b"QUIT":
            await send(writer, b"221 bye\r\n")
            return
        else:
            await send(writer, b"250 ok\r\n")


async def oauth_5_7_139(reader, writer):
    await smtp_auth_reply(
        reader,
        writer,
        b"LOGIN XOAUTH2",
        b"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
        b"disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for "
        b"more information.\r\n",
    )


async def oauth_5_7_3(reader, writer):
    await smtp_auth_reply(
        reader, writer, b"LOGIN XOAUTH2", b"535 5.7.3 Authentication unsuccessful\r\n"
    )


async def smtp_no_oauth(reader, writer):
    await smtp_auth_reply(
        reader, writer, b"PLAIN LOGIN", b"535 5.7.8 Authentication failed\r\n"
    )


async def imap_no_oauth(reader, writer):
    caps = b"IMAP4rev1 AUTH=PLAIN"
    await send(writer, b"* OK [CAPABILITY " + caps + b"] hostile ready\r\n")
    while True:
        line = await reader.readline()
        if not line:
            return
        parts = line.split(b" ", 2)
        tag = parts[0]
        verb = parts[1].strip().upper() if len(parts) > 1 else b""
        if verb == b"CAPABILITY":
            await send(writer, b"* CAPABILITY " + caps + b"\r\n" + tag + b" OK done\r\n")
        elif verb == b"LOGOUT":
            await send(writer, b"* BYE\r\n" + tag + b" OK bye\r\n")
            return
        else:
            await send(writer, tag + b" NO not here\r\n")


# Modes served over implicit TLS (with CERT and KEY).
IMPLICIT_TLS = {"oauth-5.7.139", "oauth-5.7.3", "smtp-no-oauth", "imap-no-oauth"}

MODES = {
    "endless-greeting": endless_greeting,
    "drip": drip,
    "endless-ehlo": endless_ehlo,
    "tls-drip": tls_drip,
    "imap-literal": imap_literal,
    "imap-untagged": imap_untagged,
    "pop3-capa": pop3_capa,
    "starttls-inject": starttls_inject,
    "oauth-5.7.139": oauth_5_7_139,
    "oauth-5.7.3": oauth_5_7_3,
    "smtp-no-oauth": smtp_no_oauth,
    "imap-no-oauth": imap_no_oauth,
}


async def handle(reader, writer):
    try:
        await MODES[MODE](reader, writer)
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    tls = None
    if MODE in IMPLICIT_TLS:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(CERT, KEY)
    server = await asyncio.start_server(handle, HOST, PORT, reuse_address=True, ssl=tls)
    print(f"hostile {MODE} listening on {HOST}:{PORT}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if MODE not in MODES:
        sys.exit(f"unknown mode {MODE}; one of {', '.join(MODES)}")
    asyncio.run(main())
