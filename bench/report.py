#!/usr/bin/env python3
"""Annual snapshot benchmark for zwgk (issue: scheduled snapshots and reports). Prints numbers; asserts nothing.

Builds a ledger of UNITS units with RECORDS records each (through the real spool and `zwgk daemon --once`):
findings of ten common rows, an assigned score on B units, notices naming 50 units and retractions,
then times `zwgk snapshot --period 2023-annual` and reports its peak memory (max RSS of the child).
Target from the issue: 5,000 units × 100 records in under 3 s and under 500 MB.

With --two-years the same records are made for 2023 and for 2024 (scored by Tests/Support/Fixtures/rubric-2024.json)
and the 2024 annual snapshot is timed: it scores 2023 again for the comparison with the year before.

usage: bench/report.py [--units 5000] [--records 100] [--two-years] [--skip-build]
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMON = [("信息公开指南", None), ("机构职能", None), ("审查制度执行情况", None), ("公开属性认定情况", None),
          ("政策咨询", "及时回复并公开"), ("政策咨询", "超时未回复"), ("多样化解读", None),
          ("机构、人员、经费保障情况", "经费"), ("审查机制建设", "不健全"), ("重大扣分项", "一")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--records", type=int, default=100)
    ap.add_argument("--two-years", action="store_true")
    ap.add_argument("--skip-build", action="store_true")
    a = ap.parse_args()
    if not a.skip_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "zwgk"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, ".build/release/zwgk")
    work = tempfile.mkdtemp(prefix="zwgk-bench-report-", dir=os.environ.get("ZWGK_BENCH_DIR", ROOT))
    try:
        for d in ("spool/incoming", "spool/accepted", "spool/rejected"):
            os.makedirs(f"{work}/{d}")
        with open(f"{work}/zwgk.toml", "w") as f:
            f.write('timezone = "Asia/Shanghai"\n')
            if a.two_years:
                f.write(f'rubrics = {{2024 = "{ROOT}/Tests/Support/Fixtures/rubric-2024.json"}}\n')
        years = [2023, 2024] if a.two_years else [2023]
        names = []
        with open(f"{work}/units.toml", "w", encoding="utf-8") as f:
            for u in range(a.units):
                cls = "A" if u % 2 == 0 else "B"
                name = f"单位{u:05d}"
                names.append((name, cls))
                f.write(f'[[unit]]\nname = "{name}"\nclass = "{cls}"\n\n')
        for year in years:
            for u, (name, cls) in enumerate(names):
                recs = []
                for i in range(a.records):
                    row, clause = COMMON[(u + i) % len(COMMON)]
                    r = {"type": "finding", "id": f"r{u}-{i}", "year": year, "date": f"{year}-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                         "unit": name, "indicator": row, "method": "网上检查", "evidence": f"截图 {u}-{i}"}
                    if clause:
                        r["clause"] = clause
                    if cls == "B" and i == 0:
                        r = {"type": "finding", "id": f"r{u}-{i}", "year": year, "date": f"{year}-06-30", "unit": name,
                             "indicator": "双公示数据报送情况", "score": (u % 17) / 2}
                    # Every 50th unit's last record is a monthly notice naming it and the 49 after it;
                    # every 10th unit's second-last withdraws its third-last (an upheld appeal).
                    if i == a.records - 1 and u % 50 == 0:
                        r = {"type": "notice", "id": f"n{u}", "year": year, "date": f"{year}-09-15", "level": "monthly",
                             "units": [n for n, _ in names[u:u + 50]], "title": f"第{u // 50 + 1}期检查通报"}
                    if i == a.records - 2 and u % 10 == 0 and a.records >= 3:
                        r = {"type": "retraction", "id": f"x{u}", "year": year, "date": f"{year}-11-30", "target": f"r{u}-{i - 1}",
                             "reason": "申诉成立"}
                    recs.append(r)
                with open(f"{work}/spool/incoming/u{year}-{u:05d}.json", "w", encoding="utf-8") as f:
                    json.dump(recs, f, ensure_ascii=False)
        args = ["--config", f"{work}/zwgk.toml", "--spool", f"{work}/spool", "--state", f"{work}/var",
                "--reports", f"{work}/reports", "--units", f"{work}/units.toml"]
        t0 = time.perf_counter()
        subprocess.run([binary, "daemon", "--once"] + args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ingest = time.perf_counter() - t0
        print(f"ledger: {len(years)} year(s) x {a.units} units x {a.records} records = {len(years) * a.units * a.records} records ingested in {ingest:.1f} s")
        # A fresh interpreter whose only child is the snapshot, so that its max RSS is the snapshot's alone.
        probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
                 "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
                 "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        out = subprocess.run([sys.executable, "-c", probe, binary, "snapshot", "--period", f"{years[-1]}-annual"] + args,
                             check=True, capture_output=True, text=True).stdout.split()
        elapsed, peak_kib = float(out[0]), int(out[1])
        folder = f"{work}/reports/{years[-1]}/annual"
        sizes = {n: os.path.getsize(f"{folder}/{n}") for n in sorted(os.listdir(folder))}
        print(f"annual snapshot: {elapsed:.2f} s, peak RSS {peak_kib / 1024:.0f} MiB")
        print("files: " + ", ".join(f"{n} {s / 1e6:.1f} MB" for n, s in sizes.items()))
    finally:
        if os.environ.get("ZWGK_BENCH_KEEP"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
