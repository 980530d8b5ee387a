public import RubricEngine
import ZwgkFormats

/// The 整改台账 as `zwgk rectification` prints it and snapshots keep it: JSON for programs, CSV for Excel and
/// WPS (`rectification.csv`), a table for people. Each is written as a stream, a row at a time.
public enum RectificationReport {
    // MARK: JSON

    /// `{"as_of", "items": [...], "units": [...]}` (README, 整改台账), pretty-printed.
    public static func writeJSON(_ list: RectificationList, to out: inout some TextOutputStream) {
        out.write("{\n  \"as_of\": \(JSONWriter.quote(list.asOf.description)),\n  \"items\": [")
        let rows = list.rows
        if !rows.isEmpty { out.write("\n    ") }
        writeInParallel(blocks(rows), to: &out, separator: ",\n    ") { block in
            var text = ""
            for position in block {
                if position > block.lowerBound { text += ",\n    " }
                JSONWriter.pretty(.object(item(rows[position], asOf: list.asOf)), level: 2, to: &text)
            }
            return text
        }
        out.write(list.rows.isEmpty ? "],\n  \"units\": [" : "\n  ],\n  \"units\": [")
        for (i, u) in list.units.enumerated() {
            out.write(i == 0 ? "\n    " : ",\n    ")
            JSONWriter.pretty(.object(unit(u)), level: 2, to: &out)
        }
        out.write(list.units.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
    }

    static func item(_ row: RectificationRow, asOf today: Day) -> JSONObject {
        let (item, status) = (row.item, row.status)
        func day(_ d: Day?) -> JSONValue { d.map { .string($0.description) } ?? .null }
        var o = JSONObject()
        o.append("target", .string(item.target))
        o.append("unit", .string(item.unit))
        o.append("kind", .string(item.kind.rawValue))
        o.append("indicator", .string(item.indicator))
        o.append("date", .string(item.date.description))
        o.append("deadline", day(status.deadline))
        o.append("state", .string(status.state.rawValue))
        o.append("late", .bool(status.late))
        o.append("days_overdue", .number(String(status.daysOverdue)))
        o.append("reported", day(status.reported))
        o.append("closed", day(status.closed))
        o.append("problem", item.problem.map { .string($0) } ?? .null)
        o.append("measures", item.measures(asOf: today).map { .string($0) } ?? .null)
        let recheck = item.lastRecheck(asOf: today)
        o.append("recheck", recheck.map { .string($0.passed ? "passed" : "failed") } ?? .null)
        o.append("recheck_note", recheck?.note.map { .string($0) } ?? .null)
        return o
    }

    static func unit(_ u: UnitRectification) -> JSONObject {
        var o = JSONObject()
        o.append("unit", .string(u.unit))
        o.append("open", .number(String(u.open)))
        o.append("overdue", .number(String(u.overdue)))
        o.append("reported", .number(String(u.reported)))
        o.append("closed", .number(String(u.closed)))
        o.append("on_time_rate", u.onTimeRate.map { .number($0.decimal) } ?? .null)
        return o
    }

    // MARK: CSV

    static let csvHeader = [
        "单位", "类型", "编号", "指标", "条款", "问题日期", "整改期限", "状态", "逾期报送", "逾期天数", "整改报告日期", "销号日期", "撤销记录",
        "问题说明", "整改措施", "复查结果", "复查意见",
    ]

    /// `rectification.csv`: UTF-8 with BOM and CRLF, Chinese headers, one row per item. Rows are rendered on
    /// every core, a block at a time, and written in order.
    public static func writeCSV(_ list: RectificationList, to out: inout some TextOutputStream) {
        out.write("\u{FEFF}" + csvHeader.joined(separator: ",") + "\r\n")
        let rows = list.rows
        writeInParallel(blocks(rows), to: &out) { block in
            var text = ""
            for position in block {
                for (i, cell) in cells(rows[position], asOf: list.asOf).enumerated() {
                    if i > 0 { text += "," }
                    text += ScoresCSV.field(cell)
                }
                text += "\r\n"
            }
            return text
        }
    }

    /// The rows' positions in blocks of 256, rendered each on a core of its own.
    static func blocks(_ rows: RectificationRows) -> [Range<Int>] {
        stride(from: rows.startIndex, to: rows.endIndex, by: 256).map { $0..<min($0 + 256, rows.endIndex) }
    }

    /// An item's cells on `day`, as the CSV and the table show them.
    static func cells(_ row: RectificationRow, asOf day: Day) -> [String] {
        let (item, s) = (row.item, row.status)
        let reportedOrClosed = s.reported != nil && (s.state == .reported || s.state == .closed)
        let recheck = item.lastRecheck(asOf: day)
        return [
            item.unit, kindLabel(item.kind), item.target, item.indicator, item.clause ?? "", item.date.description,
            s.deadline?.description ?? "无", s.state.label, reportedOrClosed ? (s.late ? "是" : "否") : "",
            s.state == .overdue ? String(s.daysOverdue) : "", s.reported?.description ?? "", s.closed?.description ?? "",
            s.state == .withdrawn ? item.withdrawal?.id ?? "" : "", item.problem ?? "", item.measures(asOf: day) ?? "",
            recheck.map { $0.passed ? "通过" : "未通过" } ?? "", recheck?.note ?? "",
        ]
    }

    static func kindLabel(_ kind: RectificationItem.Kind) -> String { kind == .notice ? "通报" : "发现问题" }

    // MARK: Text

    /// A table for the terminal: every item, then each unit's counts and rates. Read twice (widths, then rows)
    /// rather than held. Texts from the ledger are shown on one line, their control characters escaped.
    public static func writeText(_ list: RectificationList, to out: inout some TextOutputStream) {
        out.write("整改台账(截至 \(list.asOf)):\(list.rows.count) 项\n")
        if !list.rows.isEmpty {
            let columns = [0, 1, 2, 3, 5, 6, 7, 9, 10, 11]  // of `cells`: no clause, late or retraction column
            let days = columns.firstIndex(of: 9)!
            func shown(_ row: RectificationRow) -> [String] {
                var c = cells(row, asOf: list.asOf)
                if row.status.late { c[7] += "(逾期报送)" }
                return columns.map { ControlText.escaped(c[$0]) }
            }
            let header = columns.map { csvHeader[$0] }
            var widths = header.map(ScoresTable.displayWidth)
            for row in list.rows {
                for (k, cell) in shown(row).enumerated() { widths[k] = max(widths[k], ScoresTable.displayWidth(cell)) }
            }
            out.write("\n" + ScoresTable.line(header, widths: widths, rightAligned: [days]))
            for row in list.rows { out.write(ScoresTable.line(shown(row), widths: widths, rightAligned: [days])) }
        }
        if !list.units.isEmpty {
            out.write("\n各单位情况\n")
            var rows = [["单位", "问题", "待整改", "逾期", "已报待复查", "已销号", "已撤销", "整改率", "按期整改率"]]
            for u in list.units + (list.units.count > 1 ? [list.total] : []) { rows.append(summaryCells(u).map { ControlText.escaped($0) }) }
            out.write(ScoresTable.table(rows, rightAligned: Set(1...8)))
        }
    }

    /// A unit's counts and rates, as the table and the report show them.
    static func summaryCells(_ u: UnitRectification) -> [String] {
        [
            u.unit, String(u.items), String(u.open), String(u.overdue), String(u.reported), String(u.closed), String(u.withdrawn),
            u.rectificationRate?.percent ?? "—", u.onTimeRate?.percent ?? "—",
        ]
    }
}
