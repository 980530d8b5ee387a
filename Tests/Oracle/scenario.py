#!/usr/bin/env python3
"""Deterministic generator of a realistic, VALID 2023 scenario for the oracle cross-check.

usage: python3 scenario.py --seed N --out DIR [--records 400]

Writes DIR/units.toml and DIR/incoming/0001.json, 0002.json, ... (lexical order =
arrival order).  Every record is valid per rubric-2023.md / interfaces.md.  Numbers are
written from decimal.Decimal with at most two decimals.

Every scenario also holds findings directly on the two 检查通报情况 rows, whole
retractions of findings (some as corrections: the retraction and the corrected finding in
one file) and of notices, and retractions of notices for some of the units they name.
Each target is retracted at most once, is never a retraction, arrives in an earlier file
than its retraction, and a per-unit retraction names a strict subset of the notice's
units.  Retractions are dated on or after their target, often in a later quarter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from decimal import Decimal

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402  (rubric tables only)

D = Decimal
YEAR = 2023

A_UNITS = ["城东街道", "城西街道", "城北街道", "虞乡镇", "卿头镇", "开张镇", "栲栳镇", "蒲州镇", "韩阳镇"]

# B units and the assigned rows the B table's "applies" column suggests.
B_UNITS = [
    ("市发改局", ["双公示排名情况", "促进民营经济发展壮大"]),
    ("市司法局", ["重大行政决策事项目录公开", "重大行政决策预公开"]),
    ("市财政局", ["行政事业性收费"]),
    ("市自然资源局", ["征地信息录入情况", "重大行政决策预公开"]),
    ("市市场监管局", ["食品药品监管", "促进民营经济发展壮大"]),
    ("市人社局", ["稳岗就业"]),
    ("市民政局", ["养老服务", "社会救助"]),
    ("市教育局", ["义务教育", "其他栏目"]),
    ("市农业农村局", ["涉农补贴"]),
    ("市文旅局", ["公共文化服务", "其他栏目"]),
    ("市审批服务管理局", ["政务公开专区建设管理情况", "促进民营经济发展壮大"]),
    ("市住建局", ["重大行政决策预公开"]),
    ("市卫健委", []),
]

METHODS = [("网上检查", "wsjc"), ("实地检查", "sdjc"), ("材料审核", "clsh"), ("第三方评估", "dsfpg")]

QUARTERS = [(1, 90), (91, 181), (182, 273), (274, 365)]  # day-of-year ranges (2023)


class Unit:
    def __init__(self, name, cls, assigned):
        self.name, self.cls, self.assigned = name, cls, frozenset(assigned)


def day(n: int) -> str:
    return (dt.date(YEAR, 1, 1) + dt.timedelta(days=n - 1)).isoformat()


class Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.units = [Unit(n, "A", []) for n in A_UNITS] + [Unit(n, "B", a) for n, a in B_UNITS]
        self.items = []        # (arrival_key, record, tag)
        self.n_id = 0
        self.n_q = 0
        self.n_m = 0
        self.n_r = 0

    # ---- helpers -------------------------------------------------------
    def rand_day(self, q=None) -> int:
        if q is None:
            return self.r.randint(1, 365)
        lo, hi = QUARTERS[q]
        return self.r.randint(lo, hi)

    def applicable(self, row, unit):
        return oracle.applies(row, oracle.Unit(unit.name, unit.cls, unit.assigned))

    def units_for(self, row):
        return [u for u in self.units if self.applicable(row, u)]

    def add(self, rec, doy, tag=None, lag=None):
        if lag is None:
            lag = self.r.choice([0, 1, 2, 3, 5, 7, 10, 14, 20, 30, 45])
        self.items.append([doy + lag, rec, tag])
        return self.items[-1]

    def finding(self, unit, row, doy, clause=None, count=None, score=None, points=None,
                tag=None, lag=None, spelling=None):
        method, prefix = self.r.choice(METHODS)
        self.n_id += 1
        rec = {"type": "finding", "id": f"{prefix}-{YEAR}-{self.n_id:04d}", "year": YEAR,
               "date": day(doy), "unit": unit.name, "indicator": spelling or row.name}
        if clause is not None:
            rec["clause"] = clause
        if count is not None:
            rec["count"] = count
        if score is not None:
            rec["score"] = score
        if points is not None:
            rec["points"] = points
        rec["method"] = method
        if self.r.random() < 0.6:
            rec["evidence"] = f"永政务公开检查记录〔{YEAR}〕{self.r.randint(1, 300)}号"
        if self.r.random() < 0.3:
            rec["note"] = self.r.choice(["栏目更新不及时", "链接失效", "信息不完整", "逾期未整改",
                                         "整改到位后复查", "群众反映", "季度抽查发现"])
        self.add(rec, doy, tag, lag)
        return rec

    def notice(self, level, doy, units):
        if level == "quarterly":
            self.n_q += 1
            nid = f"运政办通〔{YEAR}〕{self.n_q * 3 + 7}号"
            title = f"关于{YEAR}年第{(doy - 1) // 91 + 1}季度政务公开检查情况的通报"
        else:
            self.n_m += 1
            nid = f"永政办通〔{YEAR}〕{self.n_m * 2 + 20}号"
            title = f"关于{YEAR}年{dt.date.fromisoformat(day(doy)).month}月政务公开全覆盖检查情况的通报"
        rec = {"type": "notice", "id": nid, "year": YEAR, "date": day(doy), "level": level,
               "units": [u.name for u in units], "title": title}
        if self.r.random() < 0.5:
            rec["evidence"] = f"{nid}附件"
        self.add(rec, doy)
        return rec

    def score_value(self, row) -> Decimal:
        step = D("0.25") if self.r.random() < 0.15 else D("0.5")
        n = int((row.hi - row.lo) / step)
        return row.lo + step * self.r.randint(0, n)

    def count(self, big=False):
        if big:
            return self.r.choice([1, 2, 2, 3, 4])
        return self.r.choice([None, None, None, 1, 2, 3])

    def random_finding(self, unit, row, doy, tag=None):
        """A valid finding on `row` for `unit` with random clause/count/score/points."""
        r = self.r
        k = row.kind
        if k == "single":
            return self.finding(unit, row, doy, tag=tag)
        if k in ("set", "tiered"):
            return self.finding(unit, row, doy, clause=r.choice(sorted(row.ded)), tag=tag)
        if k == "notice":
            return self.finding(unit, row, doy, count=self.count(), tag=tag)
        if k == "occ":
            clause = r.choice(sorted(row.clauses)) if row.multi_clause else None
            return self.finding(unit, row, doy, clause=clause, count=self.count(), tag=tag)
        if k == "assigned":
            return self.finding(unit, row, doy, score=self.score_value(row), tag=tag)
        if k == "zonghe":
            return self.finding(unit, row, doy, points=r.choice(
                [D("0.5"), D("1"), D("1.5"), D("2"), D("0.75"), D("3")]), tag=tag)
        if k == "zhongda":
            c = r.choice(["一", "二", "三", "四", "五", "六"])
            if c == "六":
                return self.finding(unit, row, doy, clause=c,
                                    points=r.choice([D("1"), D("1.5"), D("2"), D("2.5"), D("3")]))
            return self.finding(unit, row, doy, clause=c, count=r.choice([None, None, 1, 2]))
        raise AssertionError(k)

    REASONS = ["申诉成立:已按时公开", "复核:点名有误", "更正:单位填写错误", "申诉成立:链接已恢复",
               "复核:不属于本单位职责", "更正:次数有误", "领导小组复核撤销"]

    def retraction(self, target_item, units=None):
        """A retraction of the record in `target_item`, dated on or after it (often in a
        later quarter) and arriving after it."""
        r = self.r
        key, rec, _ = target_item
        tdoy = dt.date.fromisoformat(rec["date"]).timetuple().tm_yday
        rdoy = r.randint(tdoy, min(365, tdoy + r.choice([0, 10, 40, 120, 365])))
        self.n_r += 1
        rr = {"type": "retraction", "id": f"ss-{YEAR}-{self.n_r:03d}", "year": YEAR,
              "date": day(rdoy), "target": rec["id"], "reason": r.choice(self.REASONS)}
        if units is not None:
            rr["units"] = units
        if r.random() < 0.5:
            rr["evidence"] = f"复核意见书〔{YEAR}〕{r.randint(1, 99)}号"
        it = self.add(rr, rdoy, ("retract", rec["id"]))
        it[0] = max(it[0], key + 1)
        return it

    # ---- the scenario --------------------------------------------------
    def build(self, target: int):
        r = self.r
        R = oracle.ROW_BY_NAME
        pick = r.choice

        # 1. per-occurrence deductions beyond their caps across quarters
        for row in oracle.ROWS:
            if row.kind != "occ" or not row.ded:
                continue
            us = self.units_for(row)
            for u in r.sample(us, 2):
                clause = next(c for c in sorted(row.ded, key=str)) if row.multi_clause else None
                for q in range(4):
                    if r.random() < 0.8:
                        self.finding(u, row, self.rand_day(q), clause=clause, count=self.count(True))

        # 2. single deductions hit twice (and once elsewhere)
        for row in oracle.ROWS:
            if row.kind != "single":
                continue
            us = self.units_for(row)
            a, b = r.sample(us, 2)
            self.finding(a, row, self.rand_day(0))
            self.finding(a, row, self.rand_day(2))
            self.finding(b, row, self.rand_day())

        # 3. set row: repeated and distinct clauses
        row = R["机构、人员、经费保障情况"]
        us = self.units_for(row)
        a, b, c = r.sample(us, 3)
        self.finding(a, row, self.rand_day(0), clause="经费")
        self.finding(a, row, self.rand_day(1), clause="经费")
        self.finding(a, row, self.rand_day(3), clause="人员")
        for cl in ("机构", "人员", "经费", "机构"):
            self.finding(b, row, self.rand_day(), clause=cl)
        self.finding(c, row, self.rand_day(), clause="机构")

        # 4. tiered row: both levels, in both orders
        row = R["审查机制建设"]
        us = self.units_for(row)
        a, b, c = r.sample(us, 3)
        self.finding(a, row, self.rand_day(0), clause="不健全")
        self.finding(a, row, self.rand_day(2), clause="未制定")
        self.finding(b, row, self.rand_day(0), clause="未制定")
        self.finding(b, row, self.rand_day(3), clause="不健全")
        self.finding(c, row, self.rand_day(1), clause="不健全")
        self.finding(c, row, self.rand_day(3), clause="不健全")

        # 5. bonuses past their caps
        for name, clauses in (("多样化解读", [None]), ("与新闻媒体联系情况", [None]),
                              ("解读质量", ["入选", "参选"]),
                              ("对依申请公开的规范答复情况", ["优质案卷"])):
            row = R[name]
            for u in r.sample(self.units_for(row), 3):
                for q in range(4):
                    if r.random() < 0.7:
                        self.finding(u, row, self.rand_day(q), clause=pick(clauses),
                                     count=self.count(True))

        # 6. 政策咨询 with both bonus clauses (shared cap 3) and the deduction clause
        row = R["政策咨询"]
        for u in r.sample(self.units, 5):
            self.finding(u, row, self.rand_day(0), clause="及时回复并公开", count=pick([2, 3, 4]))
            self.finding(u, row, self.rand_day(1), clause="好评", count=pick([1, 2]))
            if r.random() < 0.6:
                self.finding(u, row, self.rand_day(2), clause="及时回复并公开", count=pick([None, 2]))
            if r.random() < 0.5:
                self.finding(u, row, self.rand_day(), clause="超时未回复", count=pick([None, 2, 4]))

        # 7. assigned scores; some pending all year, some only late, some same-date pairs
        pair_no = 0
        for u in self.units:
            for row in oracle.ROWS:
                if row.kind != "assigned" or not self.applicable(row, u):
                    continue
                x = r.random()
                if x < 0.15:
                    continue                                   # pending all year
                if x < 0.35:
                    self.random_finding(u, row, r.randint(200, 360))  # pending at mid-year
                    continue
                for _ in range(r.randint(1, 3)):
                    self.random_finding(u, row, self.rand_day())
                if r.random() < 0.4:
                    # same row, same date, different files: the later arrival wins
                    pair_no += 1
                    d0 = self.rand_day()
                    lag = r.choice([0, 5, 15])
                    self.random_finding(u, row, d0, tag=("pair", pair_no))
                    it = self.items[-1]
                    it[0] = d0 + lag
                    self.random_finding(u, row, d0, tag=("pair", pair_no))
                    self.items[-1][0] = d0 + lag + r.choice([0, 1, 3, 10])
        # a quoted spelling of the 双公示 row, as the rubric allows
        b_units = [u for u in self.units if u.cls == "B"]
        u = pick(b_units)
        self.finding(u, R["双公示数据报送情况"], r.randint(300, 350), score=D("6.5"),
                     spelling='"双公示"数据报送情况')
        u = pick(b_units)
        self.finding(u, R["双公示政府网站公开情况"], self.rand_day(), spelling="“双公示”政府网站公开情况")

        # 8. notices: quarterly (省、运城市) and monthly (我市) naming several units
        heavy_q = pick(self.units)  # named in three quarterly notices: beyond the cap (2 × −4)
        heavy_qs = set(r.sample(range(4), 3))
        for q in range(4):
            for k in range(r.randint(1, 2)):
                lo, hi = QUARTERS[q]
                us = r.sample(self.units, r.randint(2, 5))
                if k == 0 and q in heavy_qs and heavy_q not in us:
                    us.append(heavy_q)
                self.notice("quarterly", r.randint(hi - 25, hi), us)
        for m in range(1, 13):
            for _ in range(r.randint(1, 2)):
                d0 = dt.date(YEAR, m, r.randint(5, 28)).timetuple().tm_yday
                self.notice("monthly", d0, r.sample(self.units, r.randint(2, 7)))
        # one unit named often enough to exceed the monthly cap (8 × −1)
        heavy = pick(self.units)
        for m in range(1, 13):
            if r.random() < 0.85:
                d0 = dt.date(YEAR, m, r.randint(1, 28)).timetuple().tm_yday
                others = r.sample([x for x in self.units if x is not heavy], r.randint(0, 3))
                self.notice("monthly", d0, [heavy] + others)

        # 8b. findings recorded directly on the 检查通报情况 rows, counted with the notices
        #     (the heavy units too, so the shared cap matters)
        for name in ("检查通报情况(上级季度检查)", "检查通报情况(市月度检查)"):
            row = R[name]
            for u in [heavy_q, heavy] + r.sample(self.units, 3):
                for q in r.sample(range(4), r.randint(1, 3)):
                    self.finding(u, row, self.rand_day(q), count=pick([None, 1, 2, 3]))

        # 9. 综合加分项 and 重大扣分项
        zh = R["综合加分项"]
        for _ in range(r.randint(6, 10)):
            self.random_finding(pick(self.units), zh, self.rand_day())
        zd = R["重大扣分项"]
        for c in ["一", "二", "三", "四", "五", "六", "六", "一"]:
            u = pick(self.units)
            if c == "六":
                self.finding(u, zd, self.rand_day(), clause=c, points=pick([D("1.5"), D("2"), D("3")]))
            else:
                self.finding(u, zd, self.rand_day(), clause=c, count=pick([None, 1, 2]))

        # 10. every remaining row of both tables at least once, then random fill
        n_dups = max(3, target // 50)
        for row in oracle.ROWS:
            us = self.units_for(row)
            self.random_finding(pick(us), row, self.rand_day())
        weights = []
        for row in oracle.ROWS:
            w = {"occ": 6, "single": 3, "set": 3, "tiered": 3, "assigned": 2,
                 "zonghe": 1, "zhongda": 1, "notice": 2}[row.kind]
            weights.append((row, w))
        while len(self.items) + n_dups < target:
            row = r.choices([w[0] for w in weights], [w[1] for w in weights])[0]
            us = self.units_for(row)
            if not us:
                continue
            self.random_finding(pick(us), row, self.rand_day())

        # 11. retractions: whole findings (of every kind, notice rows and the latest
        #     assigned score included; some as corrections), whole notices, and notices
        #     for some of the units they name.  Each target once.
        findings = [it for it in self.items if it[1]["type"] == "finding"]
        notices = [it for it in self.items if it[1]["type"] == "notice"]
        by_kind = {}
        for it in findings:
            by_kind.setdefault(oracle.lookup_row(it[1]["indicator"]).kind, []).append(it)
        chosen = []
        for kind, n in (("notice", 4), ("assigned", 4), ("single", 3), ("set", 2), ("tiered", 2),
                        ("occ", 8), ("zonghe", 1), ("zhongda", 2)):
            pool = [it for it in by_kind.get(kind, []) if it not in chosen]
            chosen += r.sample(pool, min(n, len(pool)))
        rest = [it for it in findings if it not in chosen]
        chosen += r.sample(rest, max(0, len(findings) // 25 - len(chosen)))
        for it in chosen:
            self.retraction(it)
        for it in r.sample(chosen, 4):
            # a correction: the corrected finding (same unit, row and date) right after its
            # retraction, in the same file
            rec = it[1]
            ret = next(x for x in self.items if x[1]["type"] == "retraction"
                       and x[1]["target"] == rec["id"])
            u = next(x for x in self.units if x.name == rec["unit"])
            row = oracle.lookup_row(rec["indicator"])
            doy = dt.date.fromisoformat(rec["date"]).timetuple().tm_yday
            self.random_finding(u, row, doy)
            fixed = self.items.pop()
            fixed[0], fixed[2] = ret[0], ("with", ret[1]["id"])
            self.items.insert(self.items.index(ret) + 1, fixed)
        n_whole = 3
        whole = r.sample(notices, n_whole)
        for it in whole:
            self.retraction(it)
        multi = [it for it in notices if it not in whole and len(it[1]["units"]) >= 2]
        heavy_first = [it for it in multi if heavy.name in it[1]["units"]
                       or heavy_q.name in it[1]["units"]]
        part = r.sample(heavy_first, min(3, len(heavy_first)))
        part += r.sample([it for it in multi if it not in part], 5)
        for it in part:
            us = it[1]["units"]
            self.retraction(it, r.sample(us, r.randint(1, len(us) - 1)))

        # 12. arrival order, then exact duplicates re-sent in later files
        self.items.sort(key=lambda it: it[0])
        order = [[it[1], it[2]] for it in self.items]
        for _ in range(n_dups):
            i = r.randrange(0, len(order) - 20)
            j = r.randint(i + 9, len(order))
            while j < len(order) and order[j][1] is not None and order[j][1][0] == "with":
                j += 1   # never between a retraction and its corrected finding
            order.insert(j, [order[i][0], ("dup", order[i][0]["id"])])
        return order

    def chunk(self, order):
        """Split into files of 1..8 records (a correction's finding may make one 9);
        members of a same-date pair, a duplicate and its original, a retraction and its
        target never share a file; a corrected finding stays with its retraction."""
        files, cur, seen_tags, seen_ids = [], [], set(), set()
        size = self.r.randint(1, 8)
        for rec, tag in order:
            clash = ((tag is not None and tag[0] == "pair" and tag in seen_tags)
                     or (tag is not None and tag[0] in ("dup", "retract") and tag[1] in seen_ids))
            glued = tag is not None and tag[0] == "with"   # a correction's corrected finding
            if cur and not glued and (len(cur) >= size or clash):
                files.append(cur)
                cur, seen_tags, seen_ids = [], set(), set()
                size = self.r.randint(1, 8)
            cur.append(rec)
            if tag is not None:
                seen_tags.add(tag)
            seen_ids.add(rec["id"])
        if cur:
            files.append(cur)
        return files


# ---- output ---------------------------------------------------------------

def js(v) -> str:
    import json
    if isinstance(v, Decimal):
        s = format(v.normalize(), "f") if v != 0 else "0"
        return s
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(js(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{js(k)}: {js(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--records", type=int, default=400)
    a = ap.parse_args(argv)
    g = Gen(a.seed)
    order = g.build(a.records)
    files = g.chunk(order)
    os.makedirs(os.path.join(a.out, "incoming"), exist_ok=True)
    with open(os.path.join(a.out, "units.toml"), "w", encoding="utf-8") as f:
        f.write(f"# generated by scenario.py --seed {a.seed}\n")
        for u in g.units:
            f.write(f"\n[[unit]]\nname = {toml_str(u.name)}\nclass = \"{u.cls}\"\n")
            lst = dict(B_UNITS).get(u.name, [])
            if lst:
                f.write("assigned = [" + ", ".join(toml_str(x) for x in lst) + "]\n")
    paths = []
    for i, recs in enumerate(files, 1):
        p = os.path.join(a.out, "incoming", f"{i:04d}.json")
        with open(p, "w", encoding="utf-8") as f:
            if len(recs) == 1 and g.r.random() < 0.5:
                f.write(js(recs[0]) + "\n")
            else:
                f.write("[\n" + ",\n".join("  " + js(x) for x in recs) + "\n]\n")
        paths.append(p)
    n = sum(len(x) for x in files)
    print(f"{a.out}/units.toml; {len(paths)} files in {a.out}/incoming "
          f"(0001.json..{len(paths):04d}.json); {n} records")


if __name__ == "__main__":
    main()
