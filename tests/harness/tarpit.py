#!/usr/bin/python3
"""A TCP "tarpit": accepts connections and never sends a byte.

    python3 tarpit.py HOST PORT

Incoming data is read and discarded; the socket is closed when the peer closes.
Standard library only (any python3 works).
"""
import asyncio
import sys


async def hold(reader, writer):
    try:
        while await reader.read(4096):
            pass
    except Exception:
        pass
    finally:
        writer.close()


async def main(host, port):
    server = await asyncio.start_server(hold, host, port, reuse_address=True)
    print(f"tarpit listening on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
