#!/usr/bin/env python3
"""Runs a program in a pseudo-terminal (80x24), waits for it to draw its
first screen, then counts the bytes it writes while nobody touches it.

    pty_idle.py SETTLE_SECS WATCH_SECS PROGRAM [ARGS...]

The first screen counts as drawn once the program has written something
and then stayed quiet for 0.5 s (SETTLE_SECS at most, so a slow machine
does not count start-up output as idle output).

Prints `first=<bytes> idle=<bytes>` and exits 0; the program is sent Ctrl-C
twice, then killed if it is still there. Used by tests/tui_idle.rs.
"""
import fcntl, os, pty, select, signal, struct, sys, termios, time


def drain(fd, secs):
    total, end = 0, time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return total
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return total
        if not chunk:
            return total
        total += len(chunk)


def main():
    settle, watch = float(sys.argv[1]), float(sys.argv[2])
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[3], sys.argv[3:])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    first, end = 0, time.monotonic() + settle
    while time.monotonic() < end:
        got = drain(fd, 0.5)
        first += got
        if first and not got:
            break
    idle = drain(fd, watch)
    print(f"first={first} idle={idle}", flush=True)
    for _ in range(2):
        try:
            os.write(fd, b"\x03")
        except OSError:
            pass
        time.sleep(0.2)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


main()
