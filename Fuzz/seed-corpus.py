#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target under Fuzz/corpus/TARGET/ from the project's own examples:
the README's drop files and configuration, deploy/*.toml, Tests/Support/Fixtures, the cases of
Tests/DropFileTests, and workbooks written by openpyxl (Tests/Spreadsheets/workbook.py). Run from anywhere;
a file already there is kept (libFuzzer adds its own findings elsewhere, see scripts/fuzz).

  Fuzz/seed-corpus.py [TEMPLATE.xlsx]    the template workbook `zwgk template` writes, as an xlsx seed
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


def read(rel):
    with open(os.path.join(ROOT, rel), "rb") as f:
        return f.read()


JSON_DROPS = {
    "readme-findings.json": """[
  {"type": "finding", "id": "wsjc-2023-017", "year": 2023, "date": "2023-05-12",
   "unit": "市财政局", "indicator": "财政预决算", "method": "网上检查"},
  {"type": "finding", "id": "wsjc-2023-018", "year": 2023, "date": "2023-05-12",
   "unit": "城东街道", "indicator": "机构、人员、经费保障情况", "clause": "经费"},
  {"type": "finding", "id": "fgj-2023-003", "year": 2023, "date": "2023-06-30",
   "unit": "市发改局", "indicator": "双公示数据报送情况", "score": 6.5},
  {"type": "notice", "id": "运政办通〔2023〕12号", "year": 2023, "date": "2023-04-10",
   "level": "quarterly", "units": ["市财政局", "城东街道"]}
]
""",
    "readme-correction.json": """[
  {"type": "finding", "id": "wsjc-2023-017", "year": 2023, "date": "2023-05-12",
   "unit": "市财政局", "indicator": "财政预决算", "method": "网上检查"},
  {"type": "retraction", "id": "ss-2023-001", "year": 2023, "date": "2023-07-15",
   "target": "wsjc-2023-017", "reason": "申诉成立:预决算已于5月10日公开", "evidence": "复核意见书"},
  {"type": "finding", "id": "wsjc-2023-017b", "year": 2023, "date": "2023-05-12",
   "unit": "市财政局", "indicator": "部门信息公开", "method": "网上检查"}
]
""",
    "readme-rectification.json": """[
  {"type": "notice", "id": "运政办通〔2023〕12号", "year": 2023, "date": "2023-04-10",
   "level": "quarterly", "units": ["市财政局", "城东街道"], "rectify_by": "2023-04-30"},
  {"type": "finding", "id": "wsjc-2023-021", "year": 2023, "date": "2023-05-12",
   "unit": "城东街道", "indicator": "已公布标准目录执行情况", "rectify_by": "2023-05-31"},
  {"type": "rectification", "id": "zg-2023-008", "year": 2023, "date": "2023-05-25",
   "target": "wsjc-2023-021", "measures": "已按标准目录补充公开事项12项", "evidence": "栏目截图"},
  {"type": "recheck", "id": "fc-2023-008", "year": 2023, "date": "2023-06-02",
   "target": "wsjc-2023-021", "result": "failed", "note": "仍缺3项", "rectify_by": "2023-06-15"},
  {"type": "rectification", "id": "运政办通〔2023〕12号-整改-市财政局", "year": 2023, "date": "2023-04-20",
   "target": "运政办通〔2023〕12号", "unit": "市财政局", "measures": "已更新预决算栏目"},
  {"type": "recheck", "id": "fc-2023-009", "year": 2023, "date": "2023-04-28",
   "target": "运政办通〔2023〕12号", "unit": "市财政局", "result": "passed"}
]
""",
    "one-finding.json": '{"type": "finding", "id": "f-1", "year": 2023, "date": "2023-05-12", "unit": "市财政局", '
                        '"indicator": "财政预决算", "method": "网上检查"}',
    "bom-finding.json": '\ufeff{"type": "finding", "id": "f-2", "year": 2023, "date": "2023-08-01", "unit": "城西街道", '
                        '"indicator": "R08", "count": 3, "note": "多次", "evidence": "截图", "rectify_by": "2023-08-31"}',
    "points-and-notice.json": """[
  {"type": "finding", "id": "jf-1", "year": 2023, "date": "2023-11-02", "unit": "市教育局",
   "indicator": "综合加分项", "points": 1.5},
  {"type": "notice", "id": "n-9", "year": 2023, "date": "2023-09-10", "level": "monthly",
   "units": ["市民政局", "虞乡镇", "市财政局"], "title": "九月检查", "evidence": "通报原文"},
  {"type": "retraction", "id": "r-9", "year": 2023, "date": "2023-09-20", "target": "n-9",
   "units": ["虞乡镇"], "reason": "误报"}
]
""",
}

CSV_DROPS = {
    "notices.csv": "类型,编号,日期,级别,单位\r\nnotice,n-1,2023/4/10,月度,\"市财政局,城东街道\"\r\n",
    "findings.csv": "类型,编号,日期,单位,指标,条款,次数,方式\n发现问题,f-1,2023-05-12,市财政局,财政预决算,,,网上检查\n"
                    "发现问题,f-2,2023年5月12日,城东街道,机构、人员、经费保障情况,经费,2,\n",
    "score.csv": "类型,编号,日期,单位,指标,赋分\nfinding,f-1,2023-06-30,市发改局,双公示数据报送情况, 6.5 \n",
    "rechecks.csv": "类型,编号,日期,复查对象,单位,复查结果\n复查,c-1,2023-05-25,f-1,市财政局,通过\n",
    "rectifications.csv": "类型,编号,日期,整改对象,单位,整改措施,佐证\n整改,z-1,2023-05-20,f-1,市财政局,已补充公开,截图\n",
    "retractions.csv": "type,id,date,target,reason,units\nretraction,r-1,2023-07-15,n-1,申诉成立,市财政局;城东街道\n",
}


def workbooks(folder):
    """Workbooks from the specs of Tests/DropFileTests, written by openpyxl."""
    specs = {
        "records.xlsx": {"sheets": [
            {"name": "说明", "rows": [["随便写", 1]]},
            {"name": "通报", "rows": [["编号", "日期", "级别", "单位"], ["n-1", {"date": "2023-04-10"}, "季度", "市财政局、城东街道\n市发改局"]]},
            {"name": "发现问题", "rows": [["编号", "日期", "单位", "指标", "条款", "次数", "赋分", "分值", "方式"],
                                      ["f-1", {"date": "2023-05-12"}, "市财政局", "财政预决算", None, None, None, None, "网上检查"],
                                      [],
                                      ["f-2", "2023/5/12", "城东街道", "机构、人员、经费保障情况", "经费", 2],
                                      ["f-3", "2023年6月30日", "市发改局", "双公示数据报送情况", None, None, 6.5]]}]},
        "follow-ups.xlsx": {"sheets": [
            {"name": "发现问题", "rows": [["编号", "日期", "单位", "指标", "整改期限"], ["f-1", {"date": "2023-05-12"}, "市财政局", "财政预决算", {"date": "2023-05-31"}],
                                      ["f-2", {"date": "2023-05-13"}, "城东街道", "R08"]]},
            {"name": "整改", "rows": [["编号", "日期", "整改对象", "整改措施"], ["z-1", {"date": "2023-05-20"}, "f-1", "已补充"]]},
            {"name": "复查", "rows": [["编号", "日期", "复查对象", "复查结果", "备注"], ["c-1", {"date": "2023-05-25"}, "f-1", "未通过", "仍缺"]]},
            {"name": "撤销", "rows": [["编号", "日期", "撤销对象", "理由"], ["r-1", {"date": "2023-06-01"}, "f-2", "申诉成立"]]}]},
        "inline-formula.xlsx": {"sheets": [
            {"name": "发现问题", "inline": True, "merge": ["H1:I1"],
             "rows": [["id", "date", "unit", "indicator", "count", "method", "note", "evidence"],
                      [{"text": "0017"}, {"date": "2023-03-01"}, "城北街道", "R08", {"formula": "=1+1"}, "网上检查", "备注", "佐证"]]}]},
    }
    out = {}
    tool = os.path.join(ROOT, "Tests", "Spreadsheets", "workbook.py")
    for name, spec in specs.items():
        spec_path = os.path.join(folder, name + ".json")
        with open(spec_path, "w") as f:
            json.dump(spec, f, ensure_ascii=False)
        xlsx = os.path.join(folder, name)
        subprocess.run([sys.executable, tool, "write", spec_path, xlsx], check=True)
        with open(xlsx, "rb") as f:
            out[name] = f.read()
    return out


def main():
    for name, text in JSON_DROPS.items():
        put("json", name, text)
        put("ledger", name, text)
    for name, text in CSV_DROPS.items():
        put("csv", name, text)
    put("csv", "findings-gb18030.csv", CSV_DROPS["findings.csv"].encode("gb18030"))
    put("csv", "notices-bom.csv", "\ufeff" + CSV_DROPS["notices.csv"])
    with tempfile.TemporaryDirectory() as folder:
        for name, data in workbooks(folder).items():
            put("xlsx", name, data)
    if len(sys.argv) > 1:
        put("xlsx", "template.xlsx", open(sys.argv[1], "rb").read())
    put("toml", "deploy-zwgk.toml", read("deploy/zwgk.toml"))
    put("toml", "readme-config.toml", """spool = "/var/spool/zwgk"
state = "/var/lib/zwgk"
reports = "/var/lib/zwgk/reports"
units = "/etc/zwgk/units.toml"
timezone = "Asia/Shanghai"      # for "today" in zwgk status
watch = "poll"
rescan_seconds = 60.5
poll_seconds = 2
snapshot_time = "02:00"
snapshot_grace_days = 5

[rectification]
days = 15

[rubrics]
2024 = "/etc/zwgk/rubric-2024.json"
""")
    put("toml", "grades.toml", """rubrics = {2024 = "rubric-2024.json"}
[grades]
"优秀" = 90
"良好" = 80.5
"合格" = 60
excellent_share = 0.3
veto = ["重大扣分项"]
[grades.B]
"优秀" = 93
""")
    put("toml", "units.toml", read("Tests/Support/Fixtures/units.toml"))
    put("units", "units-example.toml", read("deploy/units.example.toml"))
    put("units", "fixture-units.toml", read("Tests/Support/Fixtures/units.toml"))
    put("units", "formerly.toml", """[[unit]]
name = "城西新区街道"
class = "A"
formerly = ["城西街道"]      # names it had before; records naming them are its records

[[unit]]
name = "市财政局"
class = "B"
assigned = ["行政事业性收费", "其他栏目"]
""")


if __name__ == "__main__":
    main()
