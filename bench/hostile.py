#!/usr/bin/env python3
"""Hostile drop files against `zwgk validate` (issue 17). Prints numbers; asserts nothing.

Writes worst-case files at the limits the README states (records per file, field lengths, cells per row,
cell text, sheets, part sizes, nesting) and a few past them, then runs the release binary's `zwgk validate`
on each under /usr/bin/time -v and prints its verdict, wall time, peak RSS and the reason's size. The
target from the issue: every file decided in < 2 s and < 200 MB, its reason < 64 KiB.

usage: bench/hostile.py [--skip-build] [--only NAME] [--keep DIR] [--binary PATH]
"""
import argparse, io, json, os, re, shutil, subprocess, sys, tempfile, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RECORDS = 20_000
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
INDICATORS = ["信息公开指南", "机构职能", "审查制度执行情况", "公开属性认定情况", "多样化解读"]


def units():
    text = open(f"{ROOT}/deploy/units.example.toml", encoding="utf-8").read()
    return re.findall(r'^name = "([^"]+)"', text, re.M)


# --- JSON -------------------------------------------------------------------------------------------------

def json_records_at_limit():
    """20,000 findings in 1 MiB, each with problems (no such year, a bad date, no unit or indicator)."""
    recs = [{"type": "finding", "id": f"{i}", "year": 1, "date": "x"} for i in range(RECORDS)]
    return json.dumps(recs, ensure_ascii=False, separators=(",", ":")).encode()


def json_too_many():
    return ("[" + ",".join(['{"type":"x"}'] * (RECORDS + 1)) + "]").encode()


def json_long_fields():
    """Records with every field at its length limit (200 for names, 2,000 for free text), all problems."""
    rec = {"type": "finding", "id": "i" * 128, "year": 2023, "date": "2023-05-12", "unit": "单" * 200,
           "indicator": "指" * 200, "clause": "条" * 200, "method": "方" * 200, "evidence": "证" * 2000,
           "note": "注" * 2000}
    one = json.dumps(rec, ensure_ascii=False).encode()
    n = (1 << 20) // (len(one) + 1) - 1
    return b"[" + b",".join([one] * n) + b"]"


def json_huge_name():
    """One indicator name of a million bytes (the edit distance for a suggestion took 14 s)."""
    return json.dumps([{"type": "finding", "id": "x", "year": 2023, "date": "2023-05-12", "unit": "城东街道",
                        "indicator": "指" * 340_000}], ensure_ascii=False).encode()


def json_deep():
    return b"[" * ((1 << 20) - 1)


def json_many_units():
    """A notice naming 70,000 unknown units: the unit list is checked in linear time."""
    names = [f"单位{i}" for i in range(70_000)]
    return json.dumps([{"type": "notice", "id": "n", "year": 2023, "date": "2023-05-12", "level": "monthly",
                        "units": names}], ensure_ascii=False, separators=(",", ":")).encode()


# --- CSV --------------------------------------------------------------------------------------------------

def csv_all_problems():
    """5 MiB of rows, every cell a problem, control characters included (was 2.2 GB and a 388 MB reason)."""
    head = "类型,编号,日期,单位,指标,次数,赋分,分值,方式,佐证,备注\n"
    row = "发现问题,\x01x,2023-13-45,无此单位\x07,无此指标,零,abc,x,\x08," + "很" * 40 + ",\x00\n"
    n = min(RECORDS, ((5 << 20) - len(head.encode())) // len(row.encode()))
    return (head + row * n).encode()


def csv_valid_at_limit():
    names = units()
    lines = ["类型,编号,日期,单位,指标,方式,佐证,备注"]
    for i in range(RECORDS):
        lines.append(f"发现问题,wsjc-{i:05d},2023-{i % 12 + 1}-{i % 28 + 1},{names[i % len(names)]},"
                     f"{INDICATORS[i % len(INDICATORS)]},网上检查,截图{i}," + "备注" * 25)
    return ("\n".join(lines) + "\n").encode()


def csv_wide_row():
    """One row of 2.5 million one-character fields."""
    return ("a," * ((5 << 20) // 2 - 1)).encode()


def csv_empty_fields():
    return b"," * ((5 << 20) - 1)


def csv_too_many_rows():
    return ("类型,编号\n" + "发现问题,x\n" * 400_000).encode()[: 5 << 20]


# --- Workbooks --------------------------------------------------------------------------------------------

def xlsx(sheets, shared=None, listed=None, extra=None):
    """A workbook of (name, sheet XML) pairs, deflated; `listed` lists (name, rId) in workbook.xml instead."""
    entries = listed or [(name, f"rId{i + 1}") for i, (name, _) in enumerate(sheets)]
    wb = [f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>']
    wb += [f'<sheet name="{n}" sheetId="{i + 1}" r:id="{r}"/>' for i, (n, r) in enumerate(entries)]
    wb.append("</sheets></workbook>")
    rels = ['<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    rels += [f'<Relationship Id="rId{i + 1}" Type="{REL}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
             for i in range(len(sheets))]
    rels.append("</Relationships>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("xl/workbook.xml", "".join(wb))
        z.writestr("xl/_rels/workbook.xml.rels", "".join(rels))
        for i, (_, xml) in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">' + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def sheet(rows):
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = '<row r="1">' + "".join(inline(f"{c}1", h) for c, h in zip("ABCD", ["编号", "日期", "单位", "指标"])) + "</row>"


def xlsx_shared_amplified():
    """A shared string of a million characters shown in 20,000 cells."""
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, RECORDS + 2))
    return xlsx([("发现问题", sheet(HEADER + rows))], shared=["长" * 1_000_000])


def xlsx_one_part_many_sheets():
    return xlsx([("发现问题", sheet(HEADER))], listed=[("发现问题" if i == 0 else f"s{i}", "rId1") for i in range(100_000)])


def xlsx_many_sheets_at_limit():
    """64 record sheets (the limit), each its own part of 311 rows (19,904 rows in all)."""
    rows = "".join(f'<row r="{r}">' + inline(f"A{r}", f"id{r}") + inline(f"B{r}", "2023-05-12")
                   + inline(f"C{r}", "无此单位") + inline(f"D{r}", "无此指标") + "</row>" for r in range(2, 313))
    return xlsx([("发现问题" if i == 0 else "finding", sheet(HEADER + rows)) for i in range(64)])


def xlsx_max_part_empty_cells():
    """A sheet part of 48 MiB of empty cells (no value: nothing counted but the XML itself)."""
    cells = "<c/>" * 2000
    row = f"<row>{cells}</row>"
    return xlsx([("发现问题", sheet(HEADER + row * ((48 << 20) // len(row) - 1)))])


def xlsx_max_part_text():
    """A sheet part near 48 MiB: 20,000 rows of cells holding text up to the cell text limit."""
    text = "x" * 800
    row_cells = "".join(inline(f"{c}", text) for c in "ABCDEFGHIJ")
    rows = "".join(f"<row>{row_cells}</row>" for _ in range(2, 2100))
    return xlsx([("发现问题", sheet(HEADER + rows))])


def xlsx_valid_at_limit():
    names = units()
    rows = []
    for i in range(RECORDS):
        r = i + 2
        rows.append(f'<row r="{r}">' + inline(f"A{r}", f"wsjc-{i:05d}") + inline(f"B{r}", f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}")
                    + inline(f"C{r}", names[i % len(names)]) + inline(f"D{r}", INDICATORS[i % len(INDICATORS)]) + "</row>")
    return xlsx([("发现问题", sheet(HEADER + "".join(rows)))])


def xlsx_wide_header():
    return xlsx([("发现问题", sheet('<row r="1">' + "".join(f'<c t="inlineStr"><is><t>h{i}</t></is></c>' for i in range(300_000)) + "</row>"))])


def xlsx_many_attributes():
    attrs = " ".join(f'a{i}="1"' for i in range(200_000))
    return xlsx([("发现问题", sheet(f'<row r="1"><c r="A1" {attrs} t="inlineStr"><is><t>编号</t></is></c></row>'))])


def xlsx_deep_xml():
    return xlsx([("发现问题", sheet("<x>" * 500_000 + "</x>" * 500_000))])


def xlsx_every_cell_a_problem():
    """20,000 rows whose every cell is a problem, within the cell text limit."""
    head = '<row r="1">' + "".join(inline(f"{c}1", h) for c, h in zip("ABCDEFGHIJK", ["编号", "日期", "单位", "指标", "条款", "次数", "赋分", "分值", "方式", "佐证", "备注"])) + "</row>"
    bad = "".join(inline(c, v) for c, v in zip("ABCDEFGHIJK", ["_x0001_x", "2023-13-45", "无此单位_x0007_", "无此指标", "条" * 201, "零", "abc", "x", "_x0008_", "很_x001B_", "_x0000_"]))
    rows = "".join(f"<row>{bad}</row>" for _ in range(RECORDS))
    return xlsx([("发现问题", sheet(head + rows))])


FILES = {
    "json-20000-records-all-problems.json": json_records_at_limit,
    "json-20001-records.json": json_too_many,
    "json-fields-at-length-limits.json": json_long_fields,
    "json-1MB-indicator-name.json": json_huge_name,
    "json-deep-1MiB.json": json_deep,
    "json-notice-70000-units.json": json_many_units,
    "csv-every-row-problems-5MiB.csv": csv_all_problems,
    "csv-20000-valid-rows.csv": csv_valid_at_limit,
    "csv-one-row-2.5M-fields.csv": csv_wide_row,
    "csv-5M-empty-fields.csv": csv_empty_fields,
    "csv-too-many-rows.csv": csv_too_many_rows,
    "xlsx-shared-string-1M-chars-x20000.xlsx": xlsx_shared_amplified,
    "xlsx-one-part-100000-sheets.xlsx": xlsx_one_part_many_sheets,
    "xlsx-64-sheets-all-problems.xlsx": xlsx_many_sheets_at_limit,
    "xlsx-48MiB-of-empty-cells.xlsx": xlsx_max_part_empty_cells,
    "xlsx-big-part-of-text.xlsx": xlsx_max_part_text,
    "xlsx-20000-valid-rows.xlsx": xlsx_valid_at_limit,
    "xlsx-300000-header-cells.xlsx": xlsx_wide_header,
    "xlsx-200000-attributes.xlsx": xlsx_many_attributes,
    "xlsx-500000-deep-xml.xlsx": xlsx_deep_xml,
    "xlsx-20000-rows-every-cell-a-problem.xlsx": xlsx_every_cell_a_problem,
}


def measure(binary, work, path):
    cmd = ["/usr/bin/time", "-v", binary, "validate", "--state", f"{work}/var", "--spool", f"{work}/spool",
           "--reports", f"{work}/reports", "--units", f"{ROOT}/deploy/units.example.toml", "--config", f"{work}/zwgk.toml", path]
    p = subprocess.run(cmd, capture_output=True)
    err = p.stderr.decode(errors="replace")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", err)
    seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))) if wall else float("nan")
    cpu = sum(float(re.search(rf"{k} time \(seconds\): ([\d.]+)", err).group(1)) for k in ("User", "System"))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    signal = re.search(r"Command terminated by signal (\d+)", err)
    out = p.stdout.decode(errors="replace")
    verdict = "有效" if "有效," in out.split("\n")[0] else ("signal " + signal.group(1) if signal else "无效")
    first = next((l.strip() for l in out.split("\n")[1:] if l.strip()), "")
    return seconds, cpu, rss, verdict, len(p.stdout), first


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--only")
    ap.add_argument("--keep")
    ap.add_argument("--binary", help="another zwgk binary (the debug build, to try the files out)")
    args = ap.parse_args()
    if not args.skip_build and not args.binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "zwgk"], cwd=ROOT, check=True)
    binary = args.binary or f"{ROOT}/.build/release/zwgk"
    work = args.keep or tempfile.mkdtemp(prefix="zwgk-hostile-")
    os.makedirs(work, exist_ok=True)
    for d in ("spool/incoming", "spool/accepted", "spool/rejected", "var", "reports"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    with open(f"{work}/zwgk.toml", "w") as f:
        f.write('timezone = "Asia/Shanghai"\n')
    print(f"{'file':44} {'bytes':>9} {'verdict':>8} {'wall s':>7} {'CPU s':>6} {'RSS MiB':>8} {'reason B':>9}  first line of the reason")
    try:
        for name, make in FILES.items():
            if args.only and args.only not in name:
                continue
            path = f"{work}/{name}"
            data = make()
            with open(path, "wb") as f:
                f.write(data)
            seconds, cpu, rss, verdict, size, first = measure(binary, work, path)
            print(f"{name:44} {len(data):>9} {verdict:>8} {seconds:>7.2f} {cpu:>6.2f} {rss:>8.1f} {size:>9}  {first[:90]}", flush=True)
            os.remove(path)
    finally:
        if not args.keep:
            shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
