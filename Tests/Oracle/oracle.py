#!/usr/bin/env python3
"""Independent reference scorer (oracle) for the 2023 Yongji 政务公开 rubric.

Written only from /work/shared/docs/rubric-2023.md and /work/shared/docs/interfaces.md.
Standard library only; all arithmetic is decimal.Decimal (never float).

usage: python3 oracle.py --units UNITS.toml --cutoff YYYY-MM-DD --year 2023 [--rows] FILE.json...

Files are read in the order given (= arrival order); records inside a file in array
order.  A file with any invalid record (or an id conflict) is rejected whole, as the
daemon would; a message goes to stderr and none of its records enter the ledger.

Retractions (interfaces.md, README "retraction"): `target` names the id of a finding or
notice of the same year; `reason` is a non-empty string; optional `units` (notices only)
withdraws the notice for those units alone.  A retracted record stops counting in every
snapshot written afterwards, whatever the retraction's date (README: "a retraction counts
whatever its date"); the oracle scores a snapshot written after all FILEs arrived, so the
cutoff filters findings and notices by their own date and never the retractions.
Refused (the whole file): an unknown target, a target that is a retraction, a target
already withdrawn (wholly, or for one of the units named again), `units` on a finding,
`units` naming a unit the notice does not name.  The target must have arrived before the
retraction (an earlier file, or earlier in the same file).

Findings directly on a 检查通报情况 row are occurrences on it, counted with the notices
of that level under the same cap.

--rows adds each unit's rows: [{"indicator", "base", "deducted", "bonus", "score"}] with
deducted/bonus after their caps and score = base − deducted + bonus.  An assigned row has
base 0, deducted 0, bonus 0 and score = the assigned value (0 while pending): the rubric
gives it no deduction or bonus, only a value.  综合加分项: base 0, bonus = Σ points.
重大扣分项: base 0, deducted = Σ (5 × count | points).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import decimal
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal

D = Decimal

# ---------------------------------------------------------------------------
# Rubric tables (transcribed by hand from rubric-2023.md)
# ---------------------------------------------------------------------------
#
# kinds:
#   "occ"      per-occurrence deductions and/or bonuses.  `ded` maps clause -> points
#              deducted per occurrence (total capped by `dcap`); `bon` maps clause ->
#              points added per occurrence (total capped by `bcap`, one shared cap for
#              all bonus clauses of the row).  A single-clause row uses clause key None.
#   "single"   happens or not: `pts` deducted once however many findings.
#   "set"      each distinct clause deducts its points once; total capped by `dcap`.
#   "tiered"   mutually exclusive levels; the worst reported level applies.
#   "assigned" assessors give a value in [lo, hi]; latest finding wins; none = pending.
#   "notice"   per-occurrence deduction fed by notices of `level` (cap `dcap`).
#   "zonghe"   综合加分项: sum of `points`.
#   "zhongda"  重大扣分项: clauses 一…五 −5 × count; clause 六 −points.


@dataclass(frozen=True)
class Row:
    name: str
    group: str
    kind: str
    base: Decimal = D(0)
    ded: dict = field(default_factory=dict)   # clause -> points per occurrence / once
    dcap: Decimal | None = None
    bon: dict = field(default_factory=dict)
    bcap: Decimal | None = None
    lo: Decimal | None = None
    hi: Decimal | None = None
    level: str | None = None
    classes: frozenset = frozenset({"A", "B"})
    assigned_only: bool = False

    @property
    def clauses(self) -> set:
        return set(self.ded) | set(self.bon)

    @property
    def multi_clause(self) -> bool:
        return len([c for c in self.clauses if c is not None]) > 1


def _occ(name, group, base, ded=None, dcap=None, bon=None, bcap=None, classes="AB"):
    return Row(name, group, "occ", D(base), ded or {}, None if dcap is None else D(dcap),
               bon or {}, None if bcap is None else D(bcap), classes=frozenset(classes))


def _single(name, group, base, pts, classes="AB"):
    return Row(name, group, "single", D(base), {None: D(pts)}, classes=frozenset(classes))


def _assigned(name, group, lo, hi, assigned_only=True):
    return Row(name, group, "assigned", D(0), lo=D(lo), hi=D(hi),
               classes=frozenset("B"), assigned_only=assigned_only)


G1, G2, G3, G4, G5, G6, G7 = ("组织领导与工作保障", "基层政务公开", "主动公开", "依申请公开",
                              "解读咨询回应", "日常监管", "平台建设")

ROWS: list[Row] = [
    # ---- shared by A and B (B keeps A's rules) ----
    _single("研究部署政务公开工作情况", G1, 5, 5),
    Row("机构、人员、经费保障情况", G1, "set", D(6),
        {"机构": D(2), "人员": D(2), "经费": D(2)}, D(6)),
    _occ("已公布标准目录执行情况", G2, 5, {None: D("0.5")}, 5, classes="A"),
    _occ("信息公开指南", G3, 4, {None: D(1)}, 4),
    _occ("机构职能", G3, 6, {None: D(2)}, 6),
    _single("部门信息公开", G3, 2, 2),
    _occ("重大项目建设信息公开情况", G3, 6, {None: D(2)}, 6),
    _single("财政预决算", G3, 4, 4),
    Row("审查机制建设", G3, "tiered", D(3), {"未制定": D(3), "不健全": D(1)}),
    _occ("审查制度执行情况", G3, 5, {None: D(1)}, 5),
    _occ("公开属性认定情况", G3, 5, {None: D(1)}, 5),
    _single("起草政府公文台账管理情况", G3, 2, 2),
    _occ("对依申请公开的规范答复情况", G4, 6, {"不规范": D(3)}, 6, {"优质案卷": D(2)}, 4),
    _occ("申请人复议或诉讼情况", G4, 8, {None: D(4)}, 8),
    _occ("政府、政府办公文解读情况", G5, 6, {None: D(3)}, 6),
    _occ("多样化解读", G5, 0, bon={None: D(3)}, bcap=6),
    _occ("政策咨询", G5, 6, {"超时未回复": D(2)}, 6,
         {"及时回复并公开": D("0.5"), "好评": D(1)}, 3),
    _occ("与新闻媒体联系情况", G5, 0, bon={None: D(2)}, bcap=4),
    _single("政务新媒体开设情况", G6, 5, 5),
    Row("检查通报情况(上级季度检查)", G6, "notice", D(8), {None: D(4)}, D(8), level="quarterly"),
    Row("检查通报情况(市月度检查)", G6, "notice", D(8), {None: D(1)}, D(8), level="monthly"),
    # ---- only in B ----
    _assigned("双公示数据报送情况", G3, 0, 8, assigned_only=False),
    _assigned("双公示排名情况", G3, 0, 8),
    _single("双公示政府网站公开情况", G3, 4, 4, classes="B"),
    _assigned("重大行政决策事项目录公开", G3, -3, 3),
    _assigned("重大行政决策预公开", G3, -3, 3),
    _assigned("促进民营经济发展壮大", G3, -8, 8),
    _assigned("行政事业性收费", G3, -3, 3),
    _assigned("征地信息录入情况", G3, -3, 3),
    _assigned("食品药品监管", G3, -3, 3),
    _assigned("稳岗就业", G3, -3, 3),
    _assigned("养老服务", G3, -3, 3),
    _assigned("义务教育", G3, -3, 3),
    _assigned("涉农补贴", G3, -3, 3),
    _assigned("公共文化服务", G3, -3, 3),
    _assigned("社会救助", G3, -3, 3),
    _assigned("其他栏目", G3, -3, 3),
    _occ("解读质量", G5, 0, bon={"入选": D(5), "参选": D(1)}, bcap=5, classes="B"),
    _assigned("政务公开专区建设管理情况", G7, 0, 3),
    _occ("运维情况", G6, 4, {None: D(2)}, 4, classes="B"),
    # ---- outside the groups, both classes ----
    Row("综合加分项", "", "zonghe"),
    Row("重大扣分项", "", "zhongda",
        ded={"一": D(5), "二": D(5), "三": D(5), "四": D(5), "五": D(5), "六": None}),
]

ROW_BY_NAME: dict[str, Row] = {r.name: r for r in ROWS}

# Sanity: A's base totals 100 (checked at import; a transcription error fails loudly).
assert sum(r.base for r in ROWS if "A" in r.classes) == 100

_STRIP = re.compile(r"[\s\"'“”‘’「」『』\u3000]")


def norm_name(s: str) -> str:
    """Indicator names: whitespace and quotation marks removed; full-width parens -> ASCII."""
    return _STRIP.sub("", s).replace("（", "(").replace("）", ")")


_NORM_ROWS = {norm_name(n): r for n, r in ROW_BY_NAME.items()}

_ZHONGDA_CLAUSE = re.compile(r"^[（(]?([一二三四五六])[)）]?$")


def norm_clause(row: Row, clause):
    if clause is None:
        return None
    c = clause.strip()
    if row.kind == "zhongda":
        m = _ZHONGDA_CLAUSE.match(c)
        return m.group(1) if m else c
    return c


def lookup_row(indicator: str) -> Row | None:
    return _NORM_ROWS.get(norm_name(indicator))


def applies(row: Row, unit) -> bool:
    if unit.cls not in row.classes:
        return False
    if row.assigned_only and row.name not in unit.assigned:
        return False
    return True


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------

@dataclass
class Unit:
    name: str
    cls: str
    assigned: frozenset


def load_units(path: str) -> list[Unit]:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    units = []
    for t in data.get("unit", []):
        cls = t["class"]
        if cls not in ("A", "B"):
            raise SystemExit(f"units file: unit {t.get('name')!r} has class {cls!r}")
        assigned = frozenset(
            (lookup_row(a).name if lookup_row(a) else a) for a in t.get("assigned", []) or [])
        units.append(Unit(t["name"], cls, assigned))
    names = [u.name for u in units]
    if len(set(names)) != len(names):
        raise SystemExit("units file: duplicate unit name")
    return units


# ---------------------------------------------------------------------------
# Validation / ledger
# ---------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v):
    return (isinstance(v, (int, Decimal)) and not isinstance(v, bool)
            and (not isinstance(v, Decimal) or v.is_finite()))


@dataclass
class Entry:
    seq: int          # arrival sequence (global)
    rec: dict
    row: Row | None = None
    clause: str | None = None
    retracted: bool = False                               # withdrawn whole
    retracted_units: set = field(default_factory=set)     # a notice withdrawn for these units


def validate_record(rec, units_by_name, year) -> list[str]:
    """Returns problems (empty = valid) of the record alone; a retraction's target is
    checked against the ledger later (check_retraction)."""
    p = []
    if not isinstance(rec, dict):
        return ["record is not an object"]
    t = rec.get("type")
    if t not in ("finding", "notice", "retraction"):
        return [f"bad type {t!r}"]
    rid = rec.get("id")
    if not isinstance(rid, str) or not (1 <= len(rid) <= 128):
        p.append("bad id")
    y = rec.get("year")
    if not _is_int(y):
        p.append("bad year")
    d = rec.get("date")
    if not isinstance(d, str) or not _DATE.match(d):
        p.append("bad date")
    else:
        try:
            dd = _dt.date.fromisoformat(d)
        except ValueError:
            p.append("bad date")
        else:
            if _is_int(y) and dd.year != y:
                p.append("date outside year")
    if p:
        return p
    if y != year:
        return []   # other years: not this rubric; not validated further, not scored
    if t == "retraction":
        tg = rec.get("target")
        if not isinstance(tg, str) or not tg:
            p.append("bad target")
        rs = rec.get("reason")
        if not isinstance(rs, str) or not rs.strip():
            p.append("reason required")
        if "units" in rec:
            us = rec["units"]
            if not isinstance(us, list) or not us or not all(isinstance(u, str) for u in us):
                p.append("bad units")
            elif len(set(us)) != len(us):
                p.append("repeated unit in retraction")
        return p
    if t == "notice":
        if rec.get("level") not in ("quarterly", "monthly"):
            p.append("bad level")
        us = rec.get("units")
        if not isinstance(us, list) or not us or not all(isinstance(u, str) for u in us):
            p.append("bad units")
        else:
            if len(set(us)) != len(us):
                p.append("repeated unit in notice")
            for u in us:
                if u not in units_by_name:
                    p.append(f"unknown unit {u!r}")
        return p
    # finding
    uname = rec.get("unit")
    unit = units_by_name.get(uname) if isinstance(uname, str) else None
    if unit is None:
        p.append(f"unknown unit {uname!r}")
    ind = rec.get("indicator")
    row = lookup_row(ind) if isinstance(ind, str) else None
    if row is None:
        p.append(f"unknown indicator {ind!r}")
    if p:
        return p
    if not applies(row, unit):
        p.append(f"row {row.name} does not apply to {unit.name}")
    if "count" in rec and not (_is_int(rec["count"]) and rec["count"] >= 1):
        p.append("bad count")
    clause = rec.get("clause")
    if clause is not None and not isinstance(clause, str):
        p.append("bad clause")
        return p
    clause = norm_clause(row, clause)
    if row.kind in ("set", "tiered", "zhongda") or row.multi_clause:
        if clause is None:
            p.append("clause required")
        elif clause not in row.clauses:
            p.append(f"unknown clause {clause!r}")
    if row.kind == "assigned":
        s = rec.get("score")
        if not _is_num(s):
            p.append("score required")
        elif not (row.lo <= s <= row.hi):
            p.append("score out of range")
    needs_points = row.kind == "zonghe" or (row.kind == "zhongda" and clause == "六")
    if needs_points:
        pt = rec.get("points")
        if not _is_num(pt) or not pt > 0:
            p.append("points required (> 0)")
    return p


class Ledger:
    def __init__(self, units: list[Unit], year: int):
        self.units = units
        self.by_name = {u.name: u for u in units}
        self.year = year
        self.entries: list[Entry] = []          # findings and notices of `year`
        self.by_id: dict[str, Entry] = {}        # every accepted record of `year` by id
        self.ids: dict[tuple, dict] = {}
        self.seq = 0
        self.log: list[str] = []

    def check_retraction(self, rec, staged_by_id, staged_effects) -> list[str]:
        """Problems of a (valid-looking) retraction of `self.year` against the ledger plus
        what the same file staged before it."""
        tid = rec["target"]
        tgt = staged_by_id.get(tid) or self.by_id.get(tid)
        if tgt is None:
            return [f"target {tid!r}: no such record"]
        if tgt.rec["type"] == "retraction":
            return [f"target {tid!r} is a retraction and cannot be retracted"]
        whole = tgt.retracted or any(e is tgt and us is None for e, us in staged_effects)
        if whole:
            return [f"target {tid!r} is already retracted"]
        us = rec.get("units")
        if us is None:
            return []
        if tgt.rec["type"] != "notice":
            return [f"target {tid!r}: units only for a notice"]
        done = set(tgt.retracted_units)
        for e, xs in staged_effects:
            if e is tgt and xs is not None:
                done |= set(xs)
        p = []
        for u in us:
            if u not in tgt.rec["units"]:
                p.append(f"target {tid!r} does not name {u!r}")
            elif u in done:
                p.append(f"target {tid!r} is already retracted for {u!r}")
        return p

    def add_file(self, label: str, payload) -> bool:
        recs = payload if isinstance(payload, list) else [payload]
        problems = []
        staged_ids = {}
        staged = []                  # new records, in order
        staged_by_id = {}            # id -> Entry (this year's new records)
        staged_effects = []          # (target Entry, units or None)
        for i, rec in enumerate(recs):
            ps = validate_record(rec, self.by_name, self.year)
            if ps:
                problems += [f"record {i}: {x}" for x in ps]
                continue
            key = (rec["year"], rec["id"])
            prev = self.ids.get(key, staged_ids.get(key))
            if prev is not None:
                if prev == rec:
                    continue  # exact duplicate: accepted, changes nothing
                problems.append(f"record {i}: id {rec['id']!r} conflicts with an earlier record")
                continue
            if rec["year"] == self.year and rec["type"] == "retraction":
                ps = self.check_retraction(rec, staged_by_id, staged_effects)
                if ps:
                    problems += [f"record {i}: {x}" for x in ps]
                    continue
            staged_ids[key] = rec
            staged.append(rec)
            if rec["year"] != self.year:
                continue
            e = Entry(0, rec)
            if rec["type"] == "finding":
                e.row = lookup_row(rec["indicator"])
                e.clause = norm_clause(e.row, rec.get("clause"))
            staged_by_id[rec["id"]] = e
            if rec["type"] == "retraction":
                tgt = staged_by_id.get(rec["target"]) or self.by_id[rec["target"]]
                staged_effects.append((tgt, rec.get("units")))
        if problems:
            self.log.append(f"{label}: rejected: " + "; ".join(problems))
            return False
        self.ids.update(staged_ids)
        for rec in staged:
            self.seq += 1
            if rec["year"] != self.year:
                continue
            e = staged_by_id[rec["id"]]
            e.seq = self.seq
            self.by_id[rec["id"]] = e
            if rec["type"] != "retraction":
                self.entries.append(e)
        for tgt, us in staged_effects:
            if us is None:
                tgt.retracted = True
            else:
                tgt.retracted_units |= set(us)
        return True


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------

def _cap(v, cap):
    return v if cap is None else min(v, cap)


def score_row(row: Row, findings: list[Entry], notice_count: int = 0):
    """Returns (deducted, bonus, score, pending); deducted and bonus after their caps."""
    if row.kind == "occ" or row.kind == "notice":
        ded = D(0)
        bon = D(0)
        for e in findings:
            n = e.rec.get("count", 1)
            c = e.clause
            if not row.multi_clause:
                # single-clause row (per clause part): clause is optional and ignored
                if row.ded:
                    ded += n * next(iter(row.ded.values()))
                else:
                    bon += n * next(iter(row.bon.values()))
            elif c in row.ded:
                ded += n * row.ded[c]
            else:
                bon += n * row.bon[c]
        if row.kind == "notice":
            # notices and findings on the row are occurrences alike, under one cap
            ded += notice_count * row.ded[None]
        ded, bon = _cap(ded, row.dcap), _cap(bon, row.bcap)
        return ded, bon, row.base - ded + bon, False
    if row.kind == "single":
        ded = row.ded[None] if findings else D(0)
        return ded, D(0), row.base - ded, False
    if row.kind == "set":
        distinct = {e.clause for e in findings}
        ded = _cap(sum((row.ded[c] for c in distinct), D(0)), row.dcap)
        return ded, D(0), row.base - ded, False
    if row.kind == "tiered":
        ded = max((row.ded[e.clause] for e in findings), default=D(0))
        return ded, D(0), row.base - ded, False
    if row.kind == "assigned":
        if not findings:
            return D(0), D(0), D(0), True
        latest = max(findings, key=lambda e: (e.rec["date"], e.seq))
        return D(0), D(0), D(latest.rec["score"]), False
    if row.kind == "zonghe":
        bon = sum((D(e.rec["points"]) for e in findings), D(0))
        return D(0), bon, bon, False
    if row.kind == "zhongda":
        ded = D(0)
        for e in findings:
            if e.clause == "六":
                ded += D(e.rec["points"])
            else:
                ded += e.rec.get("count", 1) * row.ded[e.clause]
        return ded, D(0), -ded, False
    raise AssertionError(row.kind)


def score(ledger: Ledger, cutoff: str):
    # A retraction counts whatever its date: only the withdrawn record's own date meets the
    # cutoff; the retraction's date is never compared with it.
    live = [e for e in ledger.entries if e.rec["date"] <= cutoff and not e.retracted]
    out = []
    for u in ledger.units:
        total = D(0)
        pending = []
        rows = []
        for row in ROWS:
            if not applies(row, u):
                continue
            fs = [e for e in live if e.rec["type"] == "finding"
                  and e.rec["unit"] == u.name and e.row is row]
            nc = 0
            if row.kind == "notice":
                nc = sum(1 for e in live if e.rec["type"] == "notice"
                         and e.rec["level"] == row.level and u.name in e.rec["units"]
                         and u.name not in e.retracted_units)
            ded, bon, v, pend = score_row(row, fs, nc)
            if pend:
                pending.append(row.name)
            base = D(0) if row.kind == "assigned" else row.base
            rows.append({"indicator": row.name, "base": base, "deducted": ded, "bonus": bon,
                         "score": v})
            total += v
        out.append({"unit": u.name, "class": u.cls, "total": total,
                    "pending": sorted(pending), "rows": rows})
    for cls in ("A", "B"):
        members = [x for x in out if x["class"] == cls]
        for x in members:
            x["rank"] = 1 + sum(1 for y in members if y["total"] > x["total"])
    return out


def fmt(d: Decimal) -> str:
    if d == 0:
        return "0"
    s = format(d.normalize(), "f")
    return s


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", required=True)
    ap.add_argument("--cutoff", required=True)
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--rows", action="store_true", help="also print per-row values")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args(argv)
    _dt.date.fromisoformat(a.cutoff)
    decimal.getcontext().prec = 50
    units = load_units(a.units)
    ledger = Ledger(units, a.year)
    for path in a.files:
        try:
            with open(path, "rb") as f:
                raw = f.read()
            if len(raw) > 1024 * 1024:
                raise ValueError("file larger than 1 MiB")
            payload = json.loads(raw.decode("utf-8"), parse_float=Decimal,
                                 parse_constant=_no_constant)
        except (ValueError, UnicodeDecodeError) as ex:
            ledger.log.append(f"{path}: rejected: {ex}")
            continue
        ledger.add_file(path, payload)
    for line in ledger.log:
        print(line, file=sys.stderr)
    res = score(ledger, a.cutoff)
    units_out = []
    for x in res:
        o = {"unit": x["unit"], "class": x["class"], "total": fmt(x["total"]),
             "rank": x["rank"], "pending": x["pending"]}
        if a.rows:
            o["rows"] = [{k: (fmt(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
                         for r in x["rows"]]
        units_out.append(o)
    json.dump({"units": units_out}, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
