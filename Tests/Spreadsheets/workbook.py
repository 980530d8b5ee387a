#!/usr/bin/env python3
"""Writes and reads .xlsx workbooks with openpyxl, for zwgk's tests (a real writer and reader, not zwgk's own).

  workbook.py write SPEC.json OUT.xlsx     sheets from a JSON spec (see below)
  workbook.py dump IN.xlsx                 every sheet as JSON: cells with types, freeze panes, widths,
                                           number formats, merged ranges and data validations
  workbook.py fill IN.xlsx SPEC.json OUT   rows appended to the named sheets of an existing workbook (a template)
  workbook.py bomb OUT.xlsx MIB [lie]      a workbook whose sheet unpacks to MIB MiB of blanks; with `lie`, the
                                           zip's headers claim it unpacks to 1 KiB
  workbook.py encrypt IN.xlsx OUT.xlsx     IN protected with a password (msoffcrypto-tool, as Office does)

SPEC: {"sheets": [{"name": "发现问题", "rows": [["编号", "日期"], ["f-1", {"date": "2023-05-12"}]],
                   "merge": ["H1:I1"], "inline": false}]}
A cell is a string, a number, null (empty), {"date": "YYYY-MM-DD"}, {"formula": "=1+1"} or
{"text": "..."} (a number-looking string kept as text).
"""
import datetime
import io
import json
import struct
import sys
import zipfile

import openpyxl


def cell_value(spec):
    if isinstance(spec, dict):
        if "date" in spec:
            return datetime.datetime.strptime(spec["date"], "%Y-%m-%d")
        if "formula" in spec:
            return spec["formula"]
        if "text" in spec:
            return spec["text"]
    return spec


def put_rows(ws, rows, start=1):
    for r, row in enumerate(rows, start=start):
        for c, spec in enumerate(row, start=1):
            if spec is None:
                continue
            cell = ws.cell(row=r, column=c, value=cell_value(spec))
            if isinstance(spec, dict) and "date" in spec:
                cell.number_format = "yyyy-mm-dd"
            if isinstance(spec, dict) and "text" in spec:
                cell.data_type = "s"


def write(spec_path, out):
    spec = json.load(open(spec_path, encoding="utf-8"))
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in spec["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        put_rows(ws, sheet.get("rows", []))
        for rng in sheet.get("merge", []):
            ws.merge_cells(rng)
    wb.save(out)


def fill(template, spec_path, out):
    spec = json.load(open(spec_path, encoding="utf-8"))
    wb = openpyxl.load_workbook(template)
    for sheet in spec["sheets"]:
        ws = wb[sheet["name"]]
        put_rows(ws, sheet["rows"], start=2)
    wb.save(out)


def typed(cell):
    v = cell.value
    if v is None:
        return None
    if isinstance(v, bool):
        return {"t": "b", "v": v}
    if isinstance(v, (int, float)):
        return {"t": "n", "v": v}
    if isinstance(v, datetime.datetime):
        return {"t": "d", "v": v.date().isoformat()}
    if isinstance(v, datetime.date):
        return {"t": "d", "v": v.isoformat()}
    return {"t": "s", "v": str(v)}


def dump(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": []}
    for ws in wb.worksheets:
        cells = [[typed(c) for c in row] for row in ws.iter_rows()]
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth}
        formats = {k: d.number_format for k, d in ws.column_dimensions.items() if d.style_id}
        out["sheets"].append({
            "name": ws.title,
            "cells": cells,
            "cell_formats": [[c.number_format for c in row] for row in ws.iter_rows()],
            "freeze": ws.freeze_panes,
            "widths": widths,
            "column_formats": formats,
            "merged": [str(r) for r in ws.merged_cells.ranges],
            "validations": [{"type": v.type, "sqref": str(v.sqref), "formula1": v.formula1,
                             "strict": bool(v.showErrorMessage)} for v in ws.data_validations.dataValidation],
        })
    json.dump(out, sys.stdout, ensure_ascii=False)


def bomb(out, mib, lie):
    row = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>编号</t></is></c></row>"
    body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
            "spreadsheetml/2006/main\"><sheetData>" + row + "</sheetData>").encode() + b" " * (mib << 20) + b"</worksheet>"
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.title = "发现问题"
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = body if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            z.writestr(item.filename, data)
    if lie:
        data = bytearray(open(out, "rb").read())
        name = b"xl/worksheets/sheet1.xml"
        # The local header (PK\3\4): uncompressed size at +22; the central directory entry (PK\1\2) at +24.
        for sig, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
            i = data.find(sig)
            while i >= 0:
                n = struct.unpack_from("<H", data, i + (26 if sig == b"PK\x03\x04" else 28))[0]
                if data[i + name_at:i + name_at + n] == name:
                    struct.pack_into("<I", data, i + offset, 1024)
                i = data.find(sig, i + 4)
        open(out, "wb").write(bytes(data))


def encrypt(src, out):
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile
    with open(src, "rb") as f, open(out, "wb") as o:
        OOXMLFile(f).encrypt("zwgk", o)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "write":
        write(sys.argv[2], sys.argv[3])
    elif cmd == "dump":
        dump(sys.argv[2])
    elif cmd == "fill":
        fill(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "bomb":
        bomb(sys.argv[2], int(sys.argv[3]), len(sys.argv) > 4 and sys.argv[4] == "lie")
    elif cmd == "encrypt":
        encrypt(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
