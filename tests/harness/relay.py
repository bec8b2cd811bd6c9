#!/usr/bin/python3
"""Test SMTP relay behind Dovecot submission (dovecot's submission_relay_host).

Run with Debian's /usr/bin/python3 (python3-aiosmtpd is only importable there):

    /usr/bin/python3 relay.py HOST PORT LMTP_SOCKET USERS_FILE OUTBOUND_DIR

* advertises ENHANCEDSTATUSCODES (else Dovecot shows "250 2.0.0 2.1.5 OK");
* MAIL FROM limited@example.test  -> every RCPT: 550 5.7.1 Daily sending limit exceeded for this account
* RCPT *@reject.test              -> 550 5.7.1 Relay access denied
* RCPT unknown@example.test       -> 550 5.1.1 User unknown   (users from USERS_FILE, "+detail" ignored)
* RCPT known@example.test         -> delivered through Dovecot LMTP (unix socket)
* any other domain                -> stored as a file in OUTBOUND_DIR (X-Mailenv-From/-To headers prepended)
"""
import asyncio
import os
import smtplib
import sys
import time

from aiosmtpd.smtp import SMTP

LOCAL_DOMAIN = "example.test"
LIMITED = "limited@example.test"


def split(address):
    local, _, domain = address.rpartition("@")
    return local.split("+", 1)[0].lower(), domain.lower()


class Handler:
    def __init__(self, lmtp_socket, users_file, outbound):
        self.lmtp_socket = lmtp_socket
        self.users_file = users_file
        self.outbound = outbound
        self.counter = 0

    def users(self):
        with open(self.users_file, encoding="utf-8") as f:
            return {line.split(":", 1)[0].strip().lower() for line in f if ":" in line}

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        # keep the last line ("250 HELP") last
        return responses[:-1] + ["250-ENHANCEDSTATUSCODES"] + responses[-1:]

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if (envelope.mail_from or "").lower() == LIMITED:
            return "550 5.7.1 Daily sending limit exceeded for this account"
        local, domain = split(address)
        if domain == "reject.test":
            return "550 5.7.1 Relay access denied"
        if domain == LOCAL_DOMAIN and f"{local}@{domain}" not in self.users():
            return "550 5.1.1 User unknown"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_RSET(self, server, session, envelope):
        return "250 2.0.0 OK"

    async def handle_NOOP(self, server, session, envelope, arg):
        return "250 2.0.0 OK"

    async def handle_DATA(self, server, session, envelope):
        local = [r for r in envelope.rcpt_tos if split(r)[1] == LOCAL_DOMAIN]
        other = [r for r in envelope.rcpt_tos if split(r)[1] != LOCAL_DOMAIN]
        content = envelope.original_content or b""
        if local:
            try:
                lmtp = smtplib.LMTP(self.lmtp_socket)
                try:
                    refused = lmtp.sendmail(envelope.mail_from or "", local, content)
                finally:
                    try:
                        lmtp.quit()
                    except Exception:
                        pass
            except smtplib.SMTPRecipientsRefused as e:
                print(f"LMTP refused all: {e.recipients}", flush=True)
                return "550 5.1.1 User unknown"
            except Exception as e:  # LMTP down or similar
                print(f"LMTP error: {e!r}", flush=True)
                return "451 4.3.0 Local delivery failed"
            if refused:
                print(f"LMTP refused some: {refused}", flush=True)
        if other:
            self.counter += 1
            name = f"{time.time_ns()}-{os.getpid()}-{self.counter}.eml"
            tmp = os.path.join(self.outbound, "." + name)
            with open(tmp, "wb") as f:
                f.write(f"X-Mailenv-From: {envelope.mail_from}\r\n".encode())
                f.write(f"X-Mailenv-To: {', '.join(other)}\r\n".encode())
                f.write(content)
            os.rename(tmp, os.path.join(self.outbound, name))
        print(f"DATA from={envelope.mail_from} local={local} other={other}", flush=True)
        return "250 2.0.0 OK: queued"


def main():
    host, port, lmtp_socket, users_file, outbound = sys.argv[1:6]
    handler = Handler(lmtp_socket, users_file, outbound)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(handler, hostname="relay.example.test", decode_data=False),
            host=host,
            port=int(port),
            reuse_address=True,
        )
    )
    print(f"relay listening on {host}:{port}", flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
