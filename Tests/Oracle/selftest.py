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
#  运维情况            count 3 × 2 = 6 → cap 4 (01-20, id yw-1), but withdrawn whole by
#                      retraction r-1 (dated 06-03, file 3); the exact duplicate of yw-1
#                      in file 4 arrives after the retraction and changes nothing      0
#  双公示政府网站公开情况 via the quoted spelling “双公示”政府网站公开情况 (01-10)  −4
#  total = 103 + 2.5 + 3 + 0 + 5 − 0 − 4 = 109.5, pending ["社会救助"]
#  at cutoff 2023-02-15: 103 + 7 (only the 02-01 score) − 4 = 106 — yw-1 is withdrawn
#                        although r-1 is dated after the cutoff (a retraction counts
#                        whatever its date), pending ["养老服务", "社会救助"]
# 市财政局: nothing accepted (its 财政预决算 finding is in a rejected file) → 103,
#           pending ["双公示数据报送情况", "行政事业性收费"].
# B ranks at year end: 市民政局 109.5 (1), 市财政局 103 (2).

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
    # file 3: a retraction of yw-1 (file 1) and more
    [
        F("市民政局", "双公示数据报送情况", "2023-03-01", score=Decimal("2.5")),
        F("市民政局", "解读质量", "2023-06-01", clause="入选"),
        F("市民政局", "解读质量", "2023-06-02", clause="参选"),
        {"type": "retraction", "id": "r-1", "year": 2023, "date": "2023-06-03",
         "target": "yw-1", "reason": "申诉成立:运维记录有误"},
        F("城东街道", "多样化解读", "2023-10-01", count=1),
        N("永政办通〔2023〕40号", "monthly", "2023-10-10", ["城东街道", "城西街道"]),
        F("城东街道", "综合加分项", "2023-11-01", points=Decimal("1.5")),
        F("城东街道", "重大扣分项", "2023-11-02", clause="一", count=2),
        F("城东街道", "重大扣分项", "2023-11-03", clause="六", points=Decimal("2.25")),
        F("虞乡镇", "信息公开指南", "2023-11-04"),
    ],
    # file 4: exact duplicate of yw-1 (accepted, changes nothing: still withdrawn) — a single object
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


# ---- retractions and findings on the notice rows (a second, separate ledger) ---------
# Q = 检查通报情况(上级季度检查) (−4 per occurrence, cap 8); M = 检查通报情况(市月度检查)
# (−1 per occurrence, cap 8).  Notices (file 1):
#   Q-1 03-20 [城东, 城西, 虞乡]   Q-2 06-20 [城东, 城西]   Q-3 09-20 [城东]
#   M-1 01-15 [城东, 城西, 市民政局]   M-2 02-15 [城西, 市民政局]
# Findings directly on those rows (file 1): qf-1 城东 Q 05-01 count 1; qf-2 韩阳 Q 02-01
#   count 3; mf-1 城西 M 04-01 count 3; mf-2 虞乡 M 04-02 count 5; mf-3 虞乡 M 08-02 count 4.
# Other findings (file 1): cz-1 蒲州 财政预决算 02-01 (−4); zn-1 蒲州 信息公开指南 02-02
#   count 2 (−2); yl-1 市民政局 养老服务 score 2 (03-01); yl-2 养老服务 score −1 (04-01).
# Retractions, all valid (file 2, dates deliberately after most cutoffs):
#   rq2 Q-2 whole (12-01); rm1 M-1 for [城东] (01-20); rq1 Q-1 for [城西, 虞乡] (10-10);
#   rmf2 mf-2 whole (11-01); rcz cz-1 whole (12-30); ryl yl-2 whole (12-30);
#   rm2a M-2 for [城西] (03-01).
# File 3 (valid): a correction — rzn withdraws zn-1 and zn-1b (蒲州 信息公开指南 02-02,
#   count 1) replaces it; rm2b M-2 for [市民政局] (a second unit of the same notice);
#   an exact duplicate of rq2 (accepted, changes nothing).
# Files 4–10 are rejected whole (nothing in them counts, not even 韩阳's 财政预决算 in 4):
#   4 Q-2 again (already withdrawn); 5 targets the retraction rcz; 6 Q-3 for 城西 (not
#   named); 7 units on the finding qf-1; 8 unknown target; 9 M-1 for 城东 again;
#   10 an empty reason.
#
# Year end (every retraction applies):
#  城东 Q: Q-1 + Q-3 + qf-1 ×1 = 3 occ × 4 = 12 → cap 8 (Q-2 withdrawn)  −8;
#       M: M-1 withdrawn for 城东                                       0   → 92
#  城西 Q: Q-1 withdrawn for 城西, Q-2 withdrawn                         0;
#       M: M-1 1 + mf-1 3 = 4 (M-2 withdrawn for 城西)                  −4   → 96
#  虞乡 Q: Q-1 withdrawn for 虞乡 0;  M: mf-2 withdrawn, mf-3 4          −4   → 96
#  蒲州 财政预决算 0 (cz-1 withdrawn); 信息公开指南 zn-1b 1 × 1          −1   → 99
#  韩阳 Q: qf-2 3 × 4 = 12 → cap 8                                     −8   → 92
#  A ranks: 蒲州 99 (1), 城西 96 (2), 虞乡 96 (2), 城东 92 (4), 韩阳 92 (4)
#  市民政局: 103 + 养老服务 2 (yl-2 withdrawn, yl-1 stands) − M-1 1 (M-2 withdrawn for
#       it by rm2b) = 104, pending [双公示数据报送情况, 社会救助]
#  市财政局: 103, pending [双公示数据报送情况, 行政事业性收费]
# Cutoff 03-31 (retractions dated later still apply):
#  城东 Q-1 −4 → 96;  城西 M-1 −1 → 99;  虞乡 100 (Q-1 withdrawn by the 10-10 retraction);
#  蒲州 zn-1b −1 → 99 (cz-1 withdrawn by the 12-30 one);  韩阳 qf-2 −8 → 92;
#  市民政局 103 + 2 − 1 = 104.
# Cutoff 06-30: 城东 Q-1 + qf-1 = 2 × 4 = 8 (Q-2 06-20 withdrawn by the 12-01 one) → 92;
#  城西 M-1 + mf-1 3 = 4 → 96;  虞乡 mf-2 withdrawn → 100.


def R(rid, target, date, units=None, reason="申诉成立"):
    rec = {"type": "retraction", "id": rid, "year": 2023, "date": date, "target": target,
           "reason": reason}
    if units is not None:
        rec["units"] = units
    return rec


QROW, MROW = "检查通报情况(上级季度检查)", "检查通报情况(市月度检查)"
RFILES = [
    [
        N("Q-1", "quarterly", "2023-03-20", ["城东街道", "城西街道", "虞乡镇"]),
        N("Q-2", "quarterly", "2023-06-20", ["城东街道", "城西街道"]),
        N("Q-3", "quarterly", "2023-09-20", ["城东街道"]),
        N("M-1", "monthly", "2023-01-15", ["城东街道", "城西街道", "市民政局"]),
        N("M-2", "monthly", "2023-02-15", ["城西街道", "市民政局"]),
        F("城东街道", QROW, "2023-05-01", id="qf-1", count=1),
        F("韩阳镇", QROW, "2023-02-01", id="qf-2", count=3),
        F("城西街道", MROW, "2023-04-01", id="mf-1", count=3),
        F("虞乡镇", MROW, "2023-04-02", id="mf-2", count=5),
        F("虞乡镇", MROW, "2023-08-02", id="mf-3", count=4),
        F("蒲州镇", "财政预决算", "2023-02-01", id="cz-1"),
        F("蒲州镇", "信息公开指南", "2023-02-02", id="zn-1", count=2),
        F("市民政局", "养老服务", "2023-03-01", id="yl-1", score=2),
        F("市民政局", "养老服务", "2023-04-01", id="yl-2", score=-1),
    ],
    [
        R("rq2", "Q-2", "2023-12-01"),
        R("rm1", "M-1", "2023-01-20", ["城东街道"]),
        R("rq1", "Q-1", "2023-10-10", ["城西街道", "虞乡镇"]),
        R("rmf2", "mf-2", "2023-11-01"),
        R("rcz", "cz-1", "2023-12-30"),
        R("ryl", "yl-2", "2023-12-30"),
        R("rm2a", "M-2", "2023-03-01", ["城西街道"]),
    ],
    [
        R("rzn", "zn-1", "2023-07-01", reason="更正:次数应为1"),
        F("蒲州镇", "信息公开指南", "2023-02-02", id="zn-1b", count=1),
        R("rm2b", "M-2", "2023-03-02", ["市民政局"]),
        R("rq2", "Q-2", "2023-12-01"),
    ],
    [F("韩阳镇", "财政预决算", "2023-04-01", id="x-4"), R("x-4r", "Q-2", "2023-12-02")],
    [R("x-5", "rcz", "2023-12-31")],
    [R("x-6", "Q-3", "2023-10-01", ["城西街道"])],
    [R("x-7", "qf-1", "2023-10-01", ["城东街道"])],
    [R("x-8", "nope", "2023-10-01")],
    [R("x-9", "M-1", "2023-10-01", ["城东街道"])],
    [R("x-10", "Q-3", "2023-10-01", reason="")],
]


def rows_of(u):
    return {r["indicator"]: (r["base"], r["deducted"], r["bonus"], r["score"]) for r in u["rows"]}


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
         "--cutoff", cutoff, "--year", "2023", "--rows"] + files,
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
        res0 = res
        check("rejections reported", sorted(line.split(":")[0][-9:] for line in err.splitlines()),
              ["0005.json", "0006.json", "0007.json"])
        want = {"城东街道": ("71.75", 4, []), "城西街道": ("99", 1, []), "虞乡镇": ("99", 1, []),
                "蒲州镇": ("-25", 5, []), "韩阳镇": ("84", 3, []),
                "市民政局": ("109.5", 1, ["社会救助"]),
                "市财政局": ("103", 2, ["双公示数据报送情况", "行政事业性收费"])}
        for name, (tot, rank, pend) in want.items():
            u = res[name]
            check(f"{name} total", u["total"], tot)
            check(f"{name} rank", u["rank"], rank)
            check(f"{name} pending", u["pending"], pend)
            check(f"{name} class", u["class"], "A" if name.endswith(("街道", "镇")) else "B")

        res, _ = run(tmp, "2023-02-15", paths)
        check("市民政局 total @02-15", res["市民政局"]["total"], "106")
        check("市民政局 pending @02-15", res["市民政局"]["pending"], ["养老服务", "社会救助"])

        res, _ = run(tmp, "2023-06-30", paths)
        check("韩阳镇 total @06-30", res["韩阳镇"]["total"], "88")
        # 城东街道 at 06-30: 经费,人员 −4; 标准目录 −1.5; 不健全 −1; 及时回复并公开 2.5 → +2.5;
        # 研究部署 −5; quarterly notices 03-25 and 06-25 → −8.  100 −4 −1.5 −1 +2.5 −5 −8 = 83
        check("城东街道 total @06-30", res["城东街道"]["total"], "83")

        # arrival order: files 2 and 1 swapped → the same-date 养老服务 pair flips (−1.5 wins),
        # and the 02-01 score of 7 now arrives first (still loses to 03-01 by date).
        # 双公示 still 2.5 (file 3 last).  103 + 2.5 − 1.5 + 5 − 0 − 4 = 105
        swapped = [paths[1], paths[0]] + paths[2:]
        res, _ = run(tmp, "2023-12-31", swapped)
        check("市民政局 total, swapped arrival", res["市民政局"]["total"], "105")

        # rows of the first ledger at year end (城东街道, from the table above)
        rows = rows_of(res0["城东街道"])
        check("城东 政策咨询 row", rows["政策咨询"], ("6", "2", "3", "7"))
        check("城东 规范答复 row", rows["对依申请公开的规范答复情况"], ("6", "3", "4", "7"))
        check("城东 quarterly row", rows[QROW], ("8", "8", "0", "0"))
        check("城东 重大扣分项 row", rows["重大扣分项"], ("0", "12.25", "0", "-12.25"))
        check("城东 综合加分项 row", rows["综合加分项"], ("0", "0", "1.5", "1.5"))
        check("市民政局 运维情况 row (withdrawn)", rows_of(res0["市民政局"])["运维情况"],
              ("4", "0", "0", "4"))
        check("市民政局 养老服务 row", rows_of(res0["市民政局"])["养老服务"], ("0", "0", "0", "3"))
        check("市民政局 社会救助 row (pending)", rows_of(res0["市民政局"])["社会救助"],
              ("0", "0", "0", "0"))
        check("A rows", len(res0["城东街道"]["rows"]), 23)  # 21 rubric rows + 综合加分项 + 重大扣分项

    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "units.toml"), "w", encoding="utf-8") as f:
            f.write(UNITS)
        paths = []
        for i, recs in enumerate(RFILES, 1):
            p = os.path.join(tmp, f"r{i:03d}.json")
            with open(p, "w", encoding="utf-8") as f:
                f.write(enc(recs))
            paths.append(p)
        res, err = run(tmp, "2023-12-31", paths)
        check("retractions: rejected files",
              sorted(line.split(":")[0][-9:] for line in err.splitlines()),
              [f"r{i:03d}.json"[-9:] for i in range(4, 11)])
        want = {"城东街道": ("92", 4), "城西街道": ("96", 2), "虞乡镇": ("96", 2),
                "蒲州镇": ("99", 1), "韩阳镇": ("92", 4), "市民政局": ("104", 1),
                "市财政局": ("103", 2)}
        for name, (tot, rank) in want.items():
            check(f"retractions: {name} total", res[name]["total"], tot)
            check(f"retractions: {name} rank", res[name]["rank"], rank)
        check("retractions: 市民政局 pending", res["市民政局"]["pending"],
              ["双公示数据报送情况", "社会救助"])
        check("retractions: 城东 Q row", rows_of(res["城东街道"])[QROW], ("8", "8", "0", "0"))
        check("retractions: 城东 M row", rows_of(res["城东街道"])[MROW], ("8", "0", "0", "8"))
        check("retractions: 城西 Q row", rows_of(res["城西街道"])[QROW], ("8", "0", "0", "8"))
        check("retractions: 城西 M row", rows_of(res["城西街道"])[MROW], ("8", "4", "0", "4"))
        check("retractions: 虞乡 M row", rows_of(res["虞乡镇"])[MROW], ("8", "4", "0", "4"))
        check("retractions: 韩阳 Q row", rows_of(res["韩阳镇"])[QROW], ("8", "8", "0", "0"))
        check("retractions: 韩阳 财政预决算 (rejected file)", rows_of(res["韩阳镇"])["财政预决算"],
              ("4", "0", "0", "4"))
        check("retractions: 蒲州 财政预决算", rows_of(res["蒲州镇"])["财政预决算"], ("4", "0", "0", "4"))
        check("retractions: 蒲州 信息公开指南", rows_of(res["蒲州镇"])["信息公开指南"], ("4", "1", "0", "3"))
        check("retractions: 市民政局 养老服务", rows_of(res["市民政局"])["养老服务"], ("0", "0", "0", "2"))
        check("retractions: 市民政局 M row", rows_of(res["市民政局"])[MROW], ("8", "1", "0", "7"))

        res, _ = run(tmp, "2023-03-31", paths)
        for name, tot in {"城东街道": "96", "城西街道": "99", "虞乡镇": "100", "蒲州镇": "99",
                          "韩阳镇": "92", "市民政局": "104"}.items():
            check(f"retractions: {name} total @03-31", res[name]["total"], tot)
        res, _ = run(tmp, "2023-06-30", paths)
        for name, tot in {"城东街道": "92", "城西街道": "96", "虞乡镇": "100"}.items():
            check(f"retractions: {name} total @06-30", res[name]["total"], tot)

        # Without file 2 (and the files whose targets only it makes valid, 3, 5, 9): nothing
        # withdrawn but zn-1 is never corrected either.  城东 Q: ,qf-1 = 16 → 8;
        # M: M-1 → −1 → 91.  虞乡 Q-1 −4, M: mf-2 5 + mf-3 4 = 9 → 8 → 88.
        res, _ = run(tmp, "2023-12-31", [paths[0]])
        check("no retractions: 城东", res["城东街道"]["total"], "91")
        check("no retractions: 虞乡", res["虞乡镇"]["total"], "88")

    check("fmt 100", oracle.fmt(Decimal("100.00")), "100")
    check("fmt -3.25", oracle.fmt(Decimal("-3.250")), "-3.25")
    check("fmt 0", oracle.fmt(Decimal("-0.0")), "0")
    check("fmt 95.5", oracle.fmt(Decimal("95.50")), "95.5")
    check("quoted spelling", oracle.lookup_row('"双公示"数据报送情况').name, "双公示数据报送情况")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
