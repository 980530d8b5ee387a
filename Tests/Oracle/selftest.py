#!/usr/bin/env python3
"""Hand-computed checks of oracle.py.  usage: python3 selftest.py

Runs oracle.py end to end on small fixtures written to a temporary folder and compares
with totals computed by hand (the arithmetic is in the comments).  The last line printed
is "N passed, N failed"; the exit status is non-zero on any failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import oracle  # noqa: E402

passed = failed = 0


def check(what, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}: got {got!r}, want {want!r}")


UNITS = """
[[unit]]
name = "城东街道"
class = "A"

[[unit]]
name = "城西街道"
class = "A"

[[unit]]
name = "虞乡镇"
class = "A"

[[unit]]
name = "蒲州镇"
class = "A"

[[unit]]
name = "韩阳镇"
class = "A"

[[unit]]
name = "市民政局"
class = "B"
assigned = ["养老服务", "社会救助"]

[[unit]]
name = "市财政局"
class = "B"
assigned = ["行政事业性收费"]
"""

_n = 0


def F(unit, indicator, date, **kw):
    global _n
    _n += 1
    rec = {"type": "finding", "id": kw.pop("id", f"t-{_n:03d}"), "year": 2023, "date": date,
           "unit": unit, "indicator": indicator}
    rec.update(kw)
    return rec


def N(nid, level, date, units):
    return {"type": "notice", "id": nid, "year": 2023, "date": date, "level": level,
            "units": units}


# ---- class A: 城东街道, by hand ---------------------------------------------------
#  机构、人员、经费保障情况  经费, 经费 (again), 人员      set: 2 distinct × 2      −4
#  已公布标准目录执行情况    count 3 × 0.5                                       −1.5
#  审查机制建设              不健全 then 未制定: worst level                       −3
#  政策咨询                  及时回复并公开 5×0.5=2.5 + 好评 1 = 3.5 → cap 3     +3
#                            超时未回复 1 × 2                                     −2
#  对依申请公开的规范答复情况 优质案卷 3×2=6 → cap 4                             +4
#                            不规范 1 × 3                                         −3
#  研究部署政务公开工作情况  two findings, single                                −5
#  多样化解读                count 1 × 3                                          +3
#  检查通报(上级季度检查)    3 quarterly notices × 4 = 12 → cap 8                 −8
#  检查通报(市月度检查)      1 monthly notice                                     −1
#  综合加分项                points 1.5                                           +1.5
#  重大扣分项                一 count 2 → 10; 六 points 2.25                      −12.25
#  total = 100 + 3 + 4 + 3 + 1.5 − (4 + 1.5 + 3 + 2 + 3 + 5 + 8 + 1 + 12.25)
#        = 111.5 − 39.75 = 71.75
# 城西街道: only the monthly notice → 99.   虞乡镇: 信息公开指南 count 1 → 99.
# 蒲州镇: 重大扣分项 一 count 25 → 100 − 125 = −25.
# 韩阳镇: 审查机制建设 不健全 twice → −1; set all of 机构/人员/经费 plus 机构 again → −6;
#         申请人复议或诉讼情况 count 1 in Q1, 1 in Q3, 1 in Q4 → 12 → cap 8 → −8;
#         与新闻媒体联系情况 count 1 (Q1) + count 2 (Q2) = 6 → cap 4 → +4;
#         政策咨询 超时未回复 count 4 = 8 → cap 6 → −6, 好评 1 → +1
#         total = 100 − 1 − 6 − 8 + 4 − 6 + 1 = 84
#         at cutoff 2023-06-30 only the Q1 litigation counts: 100 −1 −6 −4 +4 −6 +1 = 88
#         (the set/tiered/政策咨询 findings are all dated in Q1/Q2 below).
# A ranks at year end: 城西 99 (1), 虞乡 99 (1), 韩阳 84 (3), 城东 71.75 (4), 蒲州 −25 (5).
#
# ---- class B: 市民政局 -------------------------------------------------------------
# B's non-assigned bases: A's 100 − 已公布标准目录 5 + 双公示政府网站公开情况 4 + 运维情况 4 = 103.
#  双公示数据报送情况  file1: 5 on 03-01; file2: 7 on 02-01 (later arrival, earlier date);
#                      file3: 2.5 on 03-01 (same date as the 5, later arrival) → 2.5
#  养老服务            file1: −1.5 on 05-01; file2: 3 on 05-01 → 3
#  社会救助            nothing → pending, 0
#  解读质量            入选 5 + 参选 1 = 6 → cap 5 (dated 06-01)                   +5
#  运维情况            count 3 × 2 = 6 → cap 4 (01-20; re-sent as exact duplicate) −4
#  双公示政府网站公开情况 via the quoted spelling “双公示”政府网站公开情况 (01-10)  −4
#  total = 103 + 2.5 + 3 + 0 + 5 − 4 − 4 = 105.5, pending ["社会救助"]
#  at cutoff 2023-02-15: 103 + 7 (only the 02-01 score) − 4 − 4 = 102,
#                        pending ["养老服务", "社会救助"]
# 市财政局: nothing accepted (its 财政预决算 finding is in a rejected file) → 103,
#           pending ["双公示数据报送情况", "行政事业性收费"].
# B ranks at year end: 市民政局 105.5 (1), 市财政局 103 (2).

FILES = [
    # file 1
    [
        F("城东街道", "机构、人员、经费保障情况", "2023-01-05", clause="经费"),
        F("城东街道", "已公布标准目录执行情况", "2023-01-06", count=3),
        F("城东街道", "审查机制建设", "2023-01-07", clause="不健全"),
        F("城东街道", "政策咨询", "2023-02-01", clause="及时回复并公开", count=5),
        F("城东街道", "研究部署政务公开工作情况", "2023-02-02", method="实地检查"),
        N("运政办通〔2023〕10号", "quarterly", "2023-03-25", ["城东街道"]),
        F("市民政局", "双公示数据报送情况", "2023-03-01", score=Decimal("5")),
        F("市民政局", "养老服务", "2023-05-01", score=Decimal("-1.5")),
        F("市民政局", "运维情况", "2023-01-20", count=3, id="yw-1"),
        F("市民政局", "“双公示”政府网站公开情况", "2023-01-10"),
        F("蒲州镇", "重大扣分项", "2023-04-01", clause="一", count=25),
        F("韩阳镇", "审查机制建设", "2023-01-10", clause="不健全"),
        F("韩阳镇", "审查机制建设", "2023-05-10", clause="不健全"),
        F("韩阳镇", "机构、人员、经费保障情况", "2023-01-11", clause="机构"),
        F("韩阳镇", "机构、人员、经费保障情况", "2023-02-11", clause="人员"),
        F("韩阳镇", "机构、人员、经费保障情况", "2023-03-11", clause="经费"),
        F("韩阳镇", "机构、人员、经费保障情况", "2023-04-11", clause="机构"),
        F("韩阳镇", "申请人复议或诉讼情况", "2023-03-01"),
        F("韩阳镇", "申请人复议或诉讼情况", "2023-08-01", count=1),
        F("韩阳镇", "申请人复议或诉讼情况", "2023-11-01"),
        F("韩阳镇", "与新闻媒体联系情况", "2023-02-01", count=1),
        F("韩阳镇", "与新闻媒体联系情况", "2023-05-01", count=2),
        F("韩阳镇", "政策咨询", "2023-03-03", clause="超时未回复", count=4),
        F("韩阳镇", "政策咨询", "2023-04-03", clause="好评"),
    ],
    # file 2
    [
        F("城东街道", "机构、人员、经费保障情况", "2023-05-05", clause="经费"),
        F("城东街道", "机构、人员、经费保障情况", "2023-06-05", clause="人员"),
        F("城东街道", "审查机制建设", "2023-07-07", clause="未制定"),
        F("城东街道", "政策咨询", "2023-07-01", clause="好评", count=1),
        F("城东街道", "政策咨询", "2023-08-01", clause="超时未回复"),
        F("城东街道", "对依申请公开的规范答复情况", "2023-08-02", clause="优质案卷", count=3),
        F("城东街道", "对依申请公开的规范答复情况", "2023-08-03", clause="不规范"),
        F("城东街道", "研究部署政务公开工作情况", "2023-09-02"),
        N("运政办通〔2023〕20号", "quarterly", "2023-06-25", ["城东街道"]),
        N("运政办通〔2023〕30号", "quarterly", "2023-09-25", ["城东街道"]),
        F("市民政局", "双公示数据报送情况", "2023-02-01", score=7),
        F("市民政局", "养老服务", "2023-05-01", score=3),
    ],
    # file 3: a single object would also do; here a retraction (ignored) and more
    [
        F("市民政局", "双公示数据报送情况", "2023-03-01", score=Decimal("2.5")),
        F("市民政局", "解读质量", "2023-06-01", clause="入选"),
        F("市民政局", "解读质量", "2023-06-02", clause="参选"),
        {"type": "retraction", "id": "r-1", "year": 2023, "date": "2023-06-03",
         "target": "yw-1", "reason": "ignored by the oracle"},
        F("城东街道", "多样化解读", "2023-10-01", count=1),
        N("永政办通〔2023〕40号", "monthly", "2023-10-10", ["城东街道", "城西街道"]),
        F("城东街道", "综合加分项", "2023-11-01", points=Decimal("1.5")),
        F("城东街道", "重大扣分项", "2023-11-02", clause="一", count=2),
        F("城东街道", "重大扣分项", "2023-11-03", clause="六", points=Decimal("2.25")),
        F("虞乡镇", "信息公开指南", "2023-11-04"),
    ],
    # file 4: exact duplicate of yw-1 (counts once) — as a single object
    None,
    # file 5: rejected whole — id conflict (yw-1 with other content)
    [
        F("市财政局", "财政预决算", "2023-04-01"),
        F("市民政局", "运维情况", "2023-01-20", count=1, id="yw-1"),
    ],
    # file 6: rejected whole — 已公布标准目录执行情况 does not apply to B
    [
        F("市财政局", "财政预决算", "2023-04-02"),
        F("市财政局", "已公布标准目录执行情况", "2023-04-03"),
    ],
    # file 7: rejected whole — set row without clause; assigned score out of range
    [
        F("城西街道", "机构、人员、经费保障情况", "2023-04-03"),
        F("市财政局", "行政事业性收费", "2023-04-03", score=4),
    ],
]
FILES[3] = dict(FILES[0][8])


def enc(v):
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, list):
        return "[" + ",".join(enc(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + enc(x)
                              for k, x in v.items()) + "}"
    return json.dumps(v, ensure_ascii=False)


def run(tmp, cutoff, files):
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, "oracle.py"), "--units", os.path.join(tmp, "units.toml"),
         "--cutoff", cutoff, "--year", "2023"] + files,
        capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"oracle failed: {out.stderr}")
    return {u["unit"]: u for u in json.loads(out.stdout)["units"]}, out.stderr


def main():
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "units.toml"), "w", encoding="utf-8") as f:
            f.write(UNITS)
        paths = []
        for i, recs in enumerate(FILES, 1):
            p = os.path.join(tmp, f"{i:04d}.json")
            with open(p, "w", encoding="utf-8") as f:
                f.write(enc(recs))
            paths.append(p)

        res, err = run(tmp, "2023-12-31", paths)
        check("rejections reported", sorted(line.split(":")[0][-9:] for line in err.splitlines()),
              ["0005.json", "0006.json", "0007.json"])
        want = {"城东街道": ("71.75", 4, []), "城西街道": ("99", 1, []), "虞乡镇": ("99", 1, []),
                "蒲州镇": ("-25", 5, []), "韩阳镇": ("84", 3, []),
                "市民政局": ("105.5", 1, ["社会救助"]),
                "市财政局": ("103", 2, ["双公示数据报送情况", "行政事业性收费"])}
        for name, (tot, rank, pend) in want.items():
            u = res[name]
            check(f"{name} total", u["total"], tot)
            check(f"{name} rank", u["rank"], rank)
            check(f"{name} pending", u["pending"], pend)
            check(f"{name} class", u["class"], "A" if name.endswith(("街道", "镇")) else "B")

        res, _ = run(tmp, "2023-02-15", paths)
        check("市民政局 total @02-15", res["市民政局"]["total"], "102")
        check("市民政局 pending @02-15", res["市民政局"]["pending"], ["养老服务", "社会救助"])

        res, _ = run(tmp, "2023-06-30", paths)
        check("韩阳镇 total @06-30", res["韩阳镇"]["total"], "88")
        # 城东街道 at 06-30: 经费,人员 −4; 标准目录 −1.5; 不健全 −1; 及时回复并公开 2.5 → +2.5;
        # 研究部署 −5; quarterly notices 03-25 and 06-25 → −8.  100 −4 −1.5 −1 +2.5 −5 −8 = 83
        check("城东街道 total @06-30", res["城东街道"]["total"], "83")

        # arrival order: files 2 and 1 swapped → the same-date 养老服务 pair flips (−1.5 wins),
        # and the 02-01 score of 7 now arrives first (still loses to 03-01 by date).
        # 双公示 still 2.5 (file 3 last).  103 + 2.5 − 1.5 + 5 − 4 − 4 = 101
        swapped = [paths[1], paths[0]] + paths[2:]
        res, _ = run(tmp, "2023-12-31", swapped)
        check("市民政局 total, swapped arrival", res["市民政局"]["total"], "101")

    check("fmt 100", oracle.fmt(Decimal("100.00")), "100")
    check("fmt -3.25", oracle.fmt(Decimal("-3.250")), "-3.25")
    check("fmt 0", oracle.fmt(Decimal("-0.0")), "0")
    check("fmt 95.5", oracle.fmt(Decimal("95.50")), "95.5")
    check("quoted spelling", oracle.lookup_row('"双公示"数据报送情况').name, "双公示数据报送情况")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
