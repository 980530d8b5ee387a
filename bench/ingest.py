#!/usr/bin/env python3
"""Ingest benchmark for zwgk (issue: run as a real daemon). Prints numbers; asserts nothing.

Measures, on this machine, against the release build:
  1. throughput: N small valid files renamed into incoming/ at once while the daemon watches
     (files/s, durable: each file's records are committed before it is moved);
  2. latency: rename-into-incoming/ to appearance in accepted/ for single files on an idle daemon (p50, p99);
  3. peak RSS (VmHWM) of the daemon while it ingests a backlog of BIG files;
  4. CPU time the daemon uses while idle for IDLE seconds;
  5. the same N files through a straightforward script (per-file SQLite commit, then rename),
     for comparison in the same run.

usage: bench/ingest.py [--files 10000] [--big 100000] [--idle 60] [--latency 300] [--skip-build]
"""
import argparse, json, os, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNITS = ["城东街道", "城西街道", "城北街道", "虞乡镇", "卿头镇", "开张镇", "市财政局", "市民政局", "市教育局"]


def record(i):
    return {"type": "finding", "id": f"bench-{i}", "year": 2023, "date": f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
            "unit": UNITS[i % len(UNITS)], "indicator": "综合加分项", "points": 1, "method": "网上检查",
            "evidence": f"benchmark record {i}"}


def stage(folder, start, count):
    os.makedirs(folder, exist_ok=True)
    names = []
    for i in range(start, start + count):
        name = f"b{i:07d}.json"
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            json.dump(record(i), f, ensure_ascii=False)
        names.append(name)
    return names


def count(folder):
    with os.scandir(folder) as it:
        return sum(1 for _ in it)


class Daemon:
    def __init__(self, binary, work):
        self.work = work
        for d in ("spool/incoming", "spool/accepted", "spool/rejected"):
            os.makedirs(os.path.join(work, d), exist_ok=True)
        with open(f"{work}/zwgk.toml", "w") as f:
            f.write('timezone = "Asia/Shanghai"\n')
        self.proc = subprocess.Popen(
            [binary, "daemon", "--spool", f"{work}/spool", "--state", f"{work}/var", "--reports", f"{work}/reports",
             "--units", f"{ROOT}/deploy/units.example.toml", "--config", f"{work}/zwgk.toml"],
            stdout=subprocess.DEVNULL, stderr=open(f"{work}/daemon.log", "w"))
        deadline = time.time() + 30
        while not os.path.exists(f"{work}/var/health.json"):
            if time.time() > deadline or self.proc.poll() is not None:
                sys.exit("daemon did not start: " + open(f"{work}/daemon.log").read())
            time.sleep(0.01)

    def cpu_seconds(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mib(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)


def wait_for(folder, n, timeout):
    deadline = time.time() + timeout
    while count(folder) < n:
        if time.time() > deadline:
            sys.exit(f"timed out: {count(folder)} of {n} in {folder}")
        time.sleep(0.005)


def baseline(files_dir, names, work):
    """A straightforward script: for each file, read, parse, insert its record, commit, rename."""
    os.makedirs(f"{work}/accepted")
    db = sqlite3.connect(f"{work}/ledger.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE records(year INTEGER, id TEXT, body TEXT, file TEXT, UNIQUE(year, id))")
    start = time.perf_counter()
    for name in names:
        path = os.path.join(files_dir, name)
        with open(path, "rb") as f:
            data = json.loads(f.read())
        db.execute("BEGIN")
        db.execute("INSERT INTO records VALUES (?, ?, ?, ?)", (data["year"], data["id"], json.dumps(data), name))
        db.execute("COMMIT")
        os.rename(path, f"{work}/accepted/{name}")
    return len(names) / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--big", type=int, default=100000)
    ap.add_argument("--idle", type=float, default=60)
    ap.add_argument("--latency", type=int, default=300)
    ap.add_argument("--skip-build", action="store_true")
    a = ap.parse_args()
    if not a.skip_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "zwgk"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, ".build/release/zwgk")
    base = tempfile.mkdtemp(prefix="zwgk-bench-", dir=os.environ.get("ZWGK_BENCH_DIR", ROOT))
    print(f"machine: {os.cpu_count()} cores; work folder {base}")
    try:
        # 1. Throughput.
        work = f"{base}/throughput"
        names = stage(f"{base}/staged", 0, a.files)
        d = Daemon(binary, work)
        start = time.perf_counter()
        for n in names:
            os.rename(f"{base}/staged/{n}", f"{work}/spool/incoming/{n}")
        wait_for(f"{work}/spool/accepted", a.files, 600)
        elapsed = time.perf_counter() - start
        print(f"throughput: {a.files} files in {elapsed:.2f} s = {a.files / elapsed:.0f} files/s (durable)")

        # 2. Latency on the now idle daemon.
        time.sleep(1)
        single = stage(f"{base}/single", 10_000_000, a.latency)
        lat = []
        for n in single:
            t0 = time.perf_counter()
            os.rename(f"{base}/single/{n}", f"{work}/spool/incoming/{n}")
            target = f"{work}/spool/accepted/{n}"
            while not os.path.exists(target):
                time.sleep(0.0002)
            lat.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.02)
        lat.sort()
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
        print(f"latency: {len(lat)} single files, p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, max {lat[-1]:.1f} ms")

        # 4. Idle CPU.
        c0 = d.cpu_seconds()
        time.sleep(a.idle)
        c1 = d.cpu_seconds()
        print(f"idle: {(c1 - c0) * 1000:.0f} ms CPU in {a.idle:.0f} s idle (rescan timer 60 s)")
        d.stop()

        # 3. Peak RSS over a big backlog.
        if a.big:
            work = f"{base}/big"
            os.makedirs(f"{work}/spool/incoming")
            stage(f"{work}/spool/incoming", 20_000_000, a.big)
            start = time.perf_counter()
            d = Daemon(binary, work)
            wait_for(f"{work}/spool/accepted", a.big, 1800)
            elapsed = time.perf_counter() - start
            print(f"backlog: {a.big} files in {elapsed:.1f} s = {a.big / elapsed:.0f} files/s; peak RSS {d.peak_rss_mib():.1f} MiB")
            d.stop()

        # 5. The straightforward script on the same number of files.
        names = stage(f"{base}/staged2", 30_000_000, a.files)
        rate = baseline(f"{base}/staged2", names, f"{base}/baseline")
        print(f"baseline script (per-file commit): {rate:.0f} files/s")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
