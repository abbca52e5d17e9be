#!/bin/bash
# python3 (/usr/bin/python3): threads, subprocess, hashlib, json, os and
# file I/O, multiprocessing, sockets, mmap; native vs cvisor.
. "$(dirname "$0")/lib/common.bash"
need_cvisor
PY=/usr/bin/python3
[ -x "$PY" ] || skip "python3 is not installed at $PY"

cat >"$T/t.py" <<'SCRIPT'
import hashlib, json, os, subprocess, sys, tempfile, threading, queue, mmap, socket, signal, time
import multiprocessing as mp

def square(x):
    return x * x

def main():
    # threads: a shared counter under a lock, and a work queue
    lock, total = threading.Lock(), [0]
    def work(n):
        for _ in range(n):
            with lock:
                total[0] += 1
    ts = [threading.Thread(target=work, args=(5000,)) for _ in range(8)]
    for t in ts: t.start()
    for t in ts: t.join()
    print("threads:", total[0])
    q, out = queue.Queue(), []
    def consumer():
        while (item := q.get()) is not None:
            out.append(item * 2)
    c = threading.Thread(target=consumer); c.start()
    for i in range(100): q.put(i)
    q.put(None); c.join()
    print("queue:", sum(out))
    ev = threading.Event()
    threading.Timer(0.05, ev.set).start()
    print("event:", ev.wait(5))

    # subprocess
    r = subprocess.run(["sh", "-c", "echo out; echo err >&2; exit 3"], capture_output=True, text=True)
    print("subprocess:", r.returncode, r.stdout.strip(), r.stderr.strip())
    p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    o, _ = p.communicate(b"x" * 200000)
    print("communicate:", len(o), p.returncode)
    print("check_output:", subprocess.check_output(["echo", "hi"]).decode().strip())
    try:
        subprocess.run(["sleep", "5"], timeout=0.2)
    except subprocess.TimeoutExpired:
        print("timeout expired")
    print("sys.executable runs:", subprocess.run([sys.executable, "-c", "print(6*7)"], capture_output=True, text=True).stdout.strip())

    # hashlib
    data = b"cvisor" * 100000
    for name in ("md5", "sha1", "sha256", "sha512", "blake2b", "sha3_256"):
        print(name, hashlib.new(name, data).hexdigest()[:32])

    # json
    doc = {"list": [1, 2.5, None, True], "nested": {"k": "v\u00e9"}, "n": 10**20}
    s = json.dumps(doc, sort_keys=True)
    print(s)
    print(json.loads(s) == doc)

    # files
    with tempfile.TemporaryDirectory(prefix="cvisor-py-") as d:
        path = os.path.join(d, "f.bin")
        with open(path, "wb") as f:
            f.write(bytes(range(256)) * 1000)
        st = os.stat(path)
        print("size:", st.st_size)
        with open(path, "r+b") as f, mmap.mmap(f.fileno(), 0) as m:
            m[0:4] = b"MMAP"
        with open(path, "rb") as f:
            print("mmap write:", f.read(6))
        os.makedirs(os.path.join(d, "a", "b"))
        os.rename(path, os.path.join(d, "a", "g.bin"))
        print("walk:", sorted((os.path.relpath(r, d), sorted(fs)) for r, _, fs in os.walk(d)))

    # multiprocessing (fork)
    with mp.get_context("fork").Pool(3) as pool:
        print("pool:", sum(pool.map(square, range(100))))

    # sockets: a unix socketpair and a unix stream echo server on an
    # abstract name (inet sockets come in a later issue)
    a, b = socket.socketpair()
    a.sendall(b"ping"); print("socketpair:", b.recv(4))
    srv = socket.socket(socket.AF_UNIX); srv.bind("\0cvisor-py-%d" % os.getpid()); srv.listen()
    def echo():
        conn, _ = srv.accept()
        conn.sendall(conn.recv(100).upper()); conn.close()
    t = threading.Thread(target=echo); t.start()
    cl = socket.socket(socket.AF_UNIX); cl.connect(srv.getsockname()); cl.sendall(b"hello unix")
    print("unix:", cl.recv(100)); t.join(); cl.close(); srv.close()

    # signals
    got = []
    signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
    os.kill(os.getpid(), signal.SIGUSR1)
    time.sleep(0.01)
    print("signal:", got == [signal.SIGUSR1])
    print("pid positive:", os.getpid() > 0, "cpu_count:", (os.cpu_count() or 0) > 0)
    print("unicode:", "h\u00e9llo w\u00f6rld".upper(), len("\U0001F600".encode()))
    print("bigint:", pow(3, 1000, 10**9 + 7), sum(range(10**6)))

if __name__ == "__main__":
    main()
SCRIPT
compare python "$PY" "$T/t.py"
EXPECT_RC=3 compare python_c "$PY" -c 'import sys, os; print(sys.version_info[0], os.path.exists("/etc/passwd")); sys.exit(3)'
compare python_pass "$PY" -c pass
finish
