"""Drives a terminal for tests/oci/terminal.sh.

  terminal.py console SOCK CVISOR ROOT BUNDLE ID
      listens on SOCK, runs `create --console-socket SOCK`, receives the
      master as runc's clients do, runs `start`, then drives the shell.
  terminal.py caller CMD...
      runs CMD on a fresh pty (its controlling terminal), drives the shell.

Each step sends keys and waits for the text it expects; a miss prints the
screen so far and exits 1."""
import fcntl
import os
import select
import socket
import struct
import subprocess
import sys
import termios
import time


class Term:
    def __init__(self, fd):
        self.fd = fd
        self.seen = b""

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def expect(self, text, timeout=10):
        want = text.encode()
        end = time.time() + timeout
        while want not in self.seen:
            left = end - time.time()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                sys.stdout.write("FAIL: waited for %r; the terminal showed:\n%s\n"
                                 % (text, self.seen.decode(errors="replace")))
                sys.exit(1)
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                sys.stdout.write("FAIL: the terminal closed while waiting for %r:\n%s\n"
                                 % (text, self.seen.decode(errors="replace")))
                sys.exit(1)
            self.seen += chunk
        self.seen = self.seen[self.seen.index(want) + len(want):]

    def resize(self, rows, cols):
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def size(self):
        return struct.unpack("HHHH", fcntl.ioctl(self.fd, termios.TIOCGWINSZ, b"\0" * 8))[:2]


def shell_session(t, rows, cols):
    """The checks every mode shares: a prompt, output, window sizes, ^C,
    job control, exit status."""
    t.expect("$ ")
    t.send("echo hel''lo\r")
    t.expect("hello\r\n")
    t.expect("$ ")
    t.send("stty size\r")
    t.expect("%d %d\r\n" % (rows, cols))
    # a window change reaches the shell as SIGWINCH and the new size shows
    # while the shell waits (not while it edits a line: busybox's editor
    # takes SIGWINCH itself), as POSIX says a trapped signal ends `wait`
    t.send("trap 'echo got-winch' WINCH; echo wait''ing; sleep 3 & wait\r")
    t.expect("waiting\r\n")
    t.resize(rows + 6, cols + 20)
    t.expect("got-winch")
    t.send("stty size\r")
    t.expect("%d %d\r\n" % (rows + 6, cols + 20))
    t.expect("$ ")
    # the sleep ends, so job numbers below start at 1 again
    t.send("wait\r")
    t.expect("wait\r\n")
    t.expect("$ ")
    # ^C interrupts the foreground job, not the shell
    t.send("sleep 100\r")
    time.sleep(0.5)
    t.send("\x03")
    t.expect("$ ")
    t.send("echo rc=$?\r")
    t.expect("rc=130")
    t.expect("$ ")
    # job control: a background job, a stopped one, fg
    t.send("sleep 100 &\r")
    t.expect("$ ")
    t.send("jobs\r")
    t.expect("Running")
    t.expect("$ ")
    t.send("sleep 200\r")
    time.sleep(0.5)
    t.send("\x1a")
    t.expect("Stopped")
    t.expect("$ ")
    t.send("jobs\r")
    t.expect("sleep 200")
    t.expect("$ ")
    t.send("fg %2\r")
    t.expect("sleep 200")
    time.sleep(0.5)
    t.send("\x03")
    t.expect("$ ")
    t.send("kill %1; exit 5\r")


def exec_tty(cv, cid, sock_path):
    """exec --tty: a second terminal, from the same console protocol."""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(1)
    p = subprocess.Popen(cv + ["exec", "--tty", "--console-socket", sock_path, cid, "/bin/sh",
                               "-c", "busybox tty; test -t 0 && echo stdin-tty; exit 4"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    srv.settimeout(10)
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        print("FAIL: exec --tty sent no terminal: %r" % (p.communicate(timeout=30),))
        sys.exit(1)
    msg, fds, _, _ = socket.recv_fds(conn, 1024, 4)
    if len(fds) != 1:
        print("FAIL: exec console socket message %r with %d fds" % (msg, len(fds)))
        sys.exit(1)
    t = Term(fds[0])
    t.expect("/dev/pts/")
    t.expect("stdin-tty")
    rc = p.wait(timeout=30)
    if rc != 4:
        print("FAIL: exec --tty exit status %d, want 4: %r" % (rc, p.communicate()))
        sys.exit(1)
    os.close(fds[0])


def console(sock_path, cvisor, root, bundle, cid):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(1)
    cv = [cvisor, "--root", root]
    # stdout and stderr are pipes read to their end, as containerd's shim
    # does: the Sentry must not keep them
    try:
        r = subprocess.run(cv + ["create", "--bundle", bundle, "--console-socket", sock_path,
                                 cid], stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        print("FAIL: create --console-socket kept its stdout/stderr open")
        sys.exit(1)
    if r.returncode:
        print("FAIL: create --console-socket exited %d" % r.returncode)
        sys.exit(1)
    srv.settimeout(10)
    conn, _ = srv.accept()
    msg, fds, _, _ = socket.recv_fds(conn, 1024, 4)
    if len(fds) != 1 or msg != b"/dev/ptmx":
        print("FAIL: console socket message %r with %d fds" % (msg, len(fds)))
        sys.exit(1)
    t = Term(fds[0])
    if t.size() != (24, 80):
        print("FAIL: consoleSize gave %r" % (t.size(),))
        sys.exit(1)
    subprocess.run(cv + ["start", cid], timeout=60, check=True)
    exec_tty(cv, cid, sock_path + ".exec")
    shell_session(t, 24, 80)
    r = subprocess.run(cv + ["wait", cid], timeout=60)
    if r.returncode != 5:
        print("FAIL: exit status %d, want 5" % r.returncode)
        sys.exit(1)


def caller(cmd):
    master, slave = os.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))

    def ctty():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, preexec_fn=ctty,
                         env=dict(os.environ, PS1="$ ", TERM="dumb"))
    os.close(slave)
    t = Term(master)
    shell_session(t, 30, 100)
    rc = p.wait(timeout=30)
    if rc != 5:
        print("FAIL: exit status %d, want 5; the terminal showed:\n%s"
              % (rc, t.seen.decode(errors="replace")))
        sys.exit(1)
    # the caller's terminal is back in cooked mode
    attrs = termios.tcgetattr(master)
    if not attrs[3] & termios.ICANON or not attrs[3] & termios.ECHO:
        print("FAIL: the terminal was left in raw mode")
        sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1] == "console":
        console(*sys.argv[2:7])
    else:
        caller(sys.argv[2:])
