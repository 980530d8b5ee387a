#!/usr/bin/env python3
"""Spreadsheet drop benchmark for zwgk (issue 11). Prints numbers; asserts nothing.

Writes a findings workbook of ROWS rows with openpyxl (dates as date cells, shared strings, as openpyxl writes
them), starts `zwgk daemon` (release build) on a fresh spool with the example units file, renames the workbook
into incoming/ and times until it is in accepted/; then reads the daemon's peak memory (VmHWM). Repeated RUNS
times, each on a fresh state. Target from the issue: 5,000 rows in under 1 s and under 100 MB.

usage: bench/spreadsheet.py [--rows 5000] [--runs 3] [--skip-build]
"""
import argparse, datetime, os, re, shutil, subprocess, sys, tempfile, time

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROWS = [("信息公开指南", None), ("机构职能", None), ("审查制度执行情况", None), ("公开属性认定情况", None),
        ("政策咨询", "及时回复并公开"), ("政策咨询", "超时未回复"), ("多样化解读", None),
        ("机构、人员、经费保障情况", "经费"), ("审查机制建设", "不健全"), ("重大扣分项", "一")]


def units():
    text = open(f"{ROOT}/deploy/units.example.toml", encoding="utf-8").read()
    return re.findall(r'^name = "([^"]+)"', text, re.M)


def workbook(path, rows, names):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "发现问题"
    ws.append(["编号", "日期", "单位", "指标", "条款", "次数", "分值", "方式", "佐证", "备注"])
    for i in range(rows):
        row, clause = ROWS[i % len(ROWS)]
        day = datetime.datetime(2023, i % 12 + 1, i % 28 + 1)
        ws.append([f"wsjc-2023-{i:05d}", day, names[i % len(names)], row, clause, None,
                   None, "网上检查", f"截图 {i}", None])
        ws.cell(row=i + 2, column=2).number_format = "yyyy-mm-dd"
    wb.save(path)


def run(binary, book, work):
    for d in ("spool/incoming", "spool/accepted", "spool/rejected"):
        os.makedirs(os.path.join(work, d))
    with open(f"{work}/zwgk.toml", "w") as f:
        f.write('timezone = "Asia/Shanghai"\n')
    log = open(f"{work}/daemon.log", "w")
    proc = subprocess.Popen([binary, "daemon", "--spool", f"{work}/spool", "--state", f"{work}/var", "--reports",
                             f"{work}/reports", "--units", f"{ROOT}/deploy/units.example.toml", "--config", f"{work}/zwgk.toml"],
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.time() + 30
        while not os.path.exists(f"{work}/var/health.json"):
            if time.time() > deadline or proc.poll() is not None:
                sys.exit("daemon did not start: " + open(f"{work}/daemon.log").read())
            time.sleep(0.01)
        shutil.copy(book, f"{work}/staged.xlsx")
        start = time.perf_counter()
        os.rename(f"{work}/staged.xlsx", f"{work}/spool/incoming/8月检查.xlsx")
        while not os.listdir(f"{work}/spool/accepted"):
            if os.listdir(f"{work}/spool/rejected"):
                sys.exit("rejected: " + open(f"{work}/spool/rejected/8月检查.xlsx.why.txt").read()[:2000])
            if time.perf_counter() - start > 60:
                sys.exit("timed out")
            time.sleep(0.001)
        elapsed = time.perf_counter() - start
        peak = next(int(l.split()[1]) / 1024 for l in open(f"/proc/{proc.pid}/status") if l.startswith("VmHWM:"))
        return elapsed, peak
    finally:
        proc.terminate()
        proc.wait(30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-build", action="store_true")
    a = ap.parse_args()
    if not a.skip_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "zwgk"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, ".build/release/zwgk")
    work = tempfile.mkdtemp(prefix="zwgk-bench-xlsx-", dir=os.environ.get("ZWGK_BENCH_DIR", ROOT))
    try:
        book = f"{work}/book.xlsx"
        workbook(book, a.rows, units())
        print(f"workbook: {a.rows} rows, {os.path.getsize(book) / 1024:.0f} KiB (openpyxl {openpyxl.__version__})")
        for i in range(a.runs):
            elapsed, peak = run(binary, book, f"{work}/run{i}")
            print(f"run {i + 1}: drop → accepted/ {elapsed * 1000:.0f} ms, daemon peak RSS {peak:.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
