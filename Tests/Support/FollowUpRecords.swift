/// Findings and notices with deadlines, rectification reports and re-checks: as JSON, and as a workbook spec
/// (Tests/Spreadsheets/workbook.py) holding the same records on 发现问题, 通报, 整改 and 复查 sheets.
public enum FollowUpRecords {
    public static let json = """
        [
          {"type": "finding", "id": "f-1", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "财政预决算", "rectify_by": "2023-05-31"},
          {"type": "notice", "id": "n-1", "year": 2023, "date": "2023-04-10", "level": "quarterly", "units": ["市财政局", "城东街道"], "rectify_by": "2023-04-30"},
          {"type": "rectification", "id": "z-1", "year": 2023, "date": "2023-05-20", "target": "f-1", "measures": "已公开预决算", "evidence": "https://example.gov.cn/yjs"},
          {"type": "rectification", "id": "z-2", "year": 2023, "date": "2023-04-20", "target": "n-1", "unit": "城东街道", "measures": "已整改"},
          {"type": "recheck", "id": "c-1", "year": 2023, "date": "2023-05-25", "target": "f-1", "unit": "市财政局", "result": "failed", "note": "仍缺2022年决算", "rectify_by": "2023-06-10"},
          {"type": "recheck", "id": "c-2", "year": 2023, "date": "2023-04-25", "target": "n-1", "unit": "城东街道", "result": "passed"}
        ]
        """

    /// The same records as a workbook spec (workbook.py); the 复查 sheet's columns in another order, `target` in English.
    public static let workbook = #"""
        {"sheets": [
          {"name": "复查", "rows": [["复查结果", "编号", "日期", "target", "单位", "整改期限", "备注"],
            ["未通过", "c-1", {"date": "2023-05-25"}, "f-1", "市财政局", {"date": "2023-06-10"}, "仍缺2022年决算"],
            ["passed", "c-2", "2023-04-25", "n-1", "城东街道"]]},
          {"name": "整改", "rows": [["编号", "日期", "整改对象", "单位", "整改措施", "佐证"],
            ["z-1", {"date": "2023-05-20"}, "f-1", null, "已公开预决算", "https://example.gov.cn/yjs"],
            ["z-2", "2023/4/20", "n-1", "城东街道", "已整改"]]},
          {"name": "发现问题", "rows": [["编号", "日期", "单位", "指标", "整改期限"],
            ["f-1", {"date": "2023-05-12"}, "市财政局", "财政预决算", {"date": "2023-05-31"}]]},
          {"name": "通报", "rows": [["编号", "日期", "级别", "单位", "整改期限"],
            ["n-1", "2023-04-10", "季度", "市财政局、城东街道", "2023年4月30日"]]}
        ]}
        """#
}
