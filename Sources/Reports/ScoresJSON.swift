import RubricEngine
public import ZwgkFormats

/// `scores.json`: the shape the README documents (Snapshots), plus rubric version and row details.
public enum ScoresJSON: StreamedReport {
    /// Writes the document to `out` a unit at a time: the same text as `JSONWriter.pretty(document(report))`.
    public static func write(_ report: ReportContext, to out: inout some TextOutputStream) {
        out.write("{")
        for member in header(report).members {
            out.write("\n  \(JSONWriter.quote(member.key)): ")
            JSONWriter.pretty(member.value, level: 1, to: &out)
            out.write(",")
        }
        let cards = report.standings.cards
        if cards.isEmpty {
            out.write("\n  \"units\": []\n}\n")
            return
        }
        out.write("\n  \"units\": [\n    ")
        let classes = report.unitClasses
        writeInParallel(cards, to: &out, separator: ",\n    ") {
            var text = ""
            JSONWriter.pretty(.object(unit($0, report: report, classes: classes)), level: 2, to: &text)
            return text
        }
        out.write("\n  ]\n}\n")
    }

    public static func document(_ report: ReportContext) -> JSONObject {
        var top = header(report)
        let classes = report.unitClasses
        top.append("units", .array(report.standings.cards.map { .object(unit($0, report: report, classes: classes)) }))
        return top
    }

    static func header(_ report: ReportContext) -> JSONObject {
        var top = JSONObject()
        top.append("year", .number(String(report.year)))
        top.append("period", report.period.map { .string($0.name) } ?? .null)
        top.append("cutoff", .string(report.standings.cutoff.description))
        top.append("rubric", .string(report.standings.rubric.version))
        if let approvals = report.approvals { ApprovalMarks.json(approvals, into: &top) }
        top.append("classes", classesJSON(report))
        return top
    }

    /// One unit; `classes` (``ReportContext/unitClasses``) gives its sections' order.
    static func unit(_ card: Scorecard, report: ReportContext, classes: [String: UnitClass]) -> JSONObject {
        var o = JSONObject()
        o.append("unit", .string(card.unit.name))
        o.append("class", .string(card.unit.unitClass))
        o.append("total", card.total.json)
        o.append("rank", .number(String(card.rank)))
        if let grade = report.grading?.grade(of: card.unit.name) {
            o.append("grade", .string(grade.grade.rawValue))
            if let reason = grade.reason { o.append("grade_reason", .string(reason)) }
        }
        o.append("pending", .array(card.pending.map { .string($0) }))
        if let unitClass = classes[card.unit.unitClass] { o.append("sections", sectionsJSON(Sections.of(card, in: unitClass))) }
        o.append("rows", .array(card.rows.map { .object(row($0)) }))
        if let lastYear = report.lastYear { o.append("last_year", LastYearReport.json(card, lastYear)) }
        return o
    }

    static func row(_ r: RowScore) -> JSONObject {
        var o = JSONObject()
        o.append("indicator", .string(r.row.name))
        o.append("base", r.base.json)
        o.append("deducted", r.deducted.json)
        o.append("bonus", r.bonus.json)
        o.append("score", r.score.json)
        if case .assigned(let range) = r.row.scoring {
            o.append("range", .array([range.lowerBound.json, range.upperBound.json]))
            o.append("pending", .bool(r.pending))
        }
        return o
    }
}

/// `scores.csv`: UTF-8 with BOM and CRLF line ends, so Excel and WPS open it as Chinese text.
public enum ScoresCSV {
    public static func render(_ report: ReportContext) -> String {
        // One column per row any card has, in the order first met.
        var columns: [Row] = []
        var seen: Set<String> = []
        for card in report.standings.cards {
            for r in card.rows where seen.insert(r.row.id).inserted { columns.append(r.row) }
        }
        let grading = report.grading
        let fixed = ["类别", "排名", "单位", "总分"] + (grading == nil ? [] : ["等次"]) + ["未评指标"]
        let lastYear = report.lastYear
        let lastYearColumns = lastYear.map { ["\($0.previousYear)年总分", "\($0.previousYear)年排名", "名次变化"] } ?? []
        var lines = [(fixed + columns.map(\.name) + lastYearColumns).map(field).joined(separator: ",")]
        for card in report.standings.cards {
            // Numbers are written as they are; every text goes through `field`.
            var cells = [field(card.unit.unitClass + "类"), String(card.rank), field(card.unit.name), card.total.description]
            if let grading { cells.append(field(grading.grade(of: card.unit.name)?.grade.rawValue ?? "")) }
            cells.append(field(card.pending.joined(separator: "、")))
            let byID = Dictionary(card.rows.map { ($0.row.id, $0) }, uniquingKeysWith: { a, _ in a })
            for column in columns {
                cells.append(byID[column.id].map { $0.pending ? "未评" : $0.score.description } ?? "")
            }
            if let lastYear {
                let p = lastYear.previous(card.unit)
                cells += [p.map(\.total.description) ?? "新增", p.map { String($0.rank) } ?? "", p?.rankChange.map { String($0) } ?? ""]
            }
            lines.append(cells.joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A text cell: quoted when it needs it, and kept from being read as a formula by Excel or WPS (a leading
    /// =, +, -, @, tab or carriage return gets a `'` before it). Only text comes here, never a number, so
    /// nothing is parsed: an id such as `-1e5` or `=cmd|` is written as text like any other.
    /// Control characters other than line breaks and tabs, which no spreadsheet shows, are escaped (`ControlText`).
    /// (Decided on the UTF-8 bytes: CSV of hundreds of thousands of rows is written this way.)
    static func field(_ s: String) -> String {
        var s = ControlText.escaped(s, keepingLineBreaks: true)
        switch s.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: s = "'" + s
        default: break
        }
        if s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + s.replacing("\"", with: "\"\"") + "\""
        }
        return s
    }
}

/// The standings as a terminal table, CJK-width aware.
public enum ScoresTable {
    public static func render(_ report: ReportContext) -> String {
        var out = "\(report.standings.rubric.subject) \(report.periodLabel)(截止 \(report.standings.cutoff))\n"
        for unitClass in report.standings.classes where !unitClass.cards.isEmpty {
            out += "\n\(unitClass.unitClass.title)\n"
            let grading = report.grading
            var rows = [["排名", "单位", "总分"] + (grading == nil ? [] : ["等次"]) + ["未评"]]
            for card in unitClass.cards {
                let grade = grading.map { [$0.grade(of: card.unit.name)?.label ?? ""] } ?? []
                rows.append(
                    [String(card.rank), ControlText.escaped(card.unit.name), card.total.description] + grade
                        + [ControlText.escaped(card.pending.joined(separator: "、"))])
            }
            out += table(rows, rightAligned: [0, 2])
            if let line = grading?.countLine(unitClass.unitClass.name) { out += "等次:\(line)\n" }
        }
        return out
    }

    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let widths = (0..<rows[0].count).map { c in rows.map { displayWidth($0[c]) }.max() ?? 0 }
        return rows.map { line($0, widths: widths, rightAligned: rightAligned) }.joined()
    }

    /// One line of a table whose columns are `widths` wide, with its line end.
    static func line(_ row: [String], widths: [Int], rightAligned: Set<Int>) -> String {
        row.enumerated().map { c, cell in
            let pad = String(repeating: " ", count: widths[c] - displayWidth(cell))
            return rightAligned.contains(c) ? pad + cell : cell + pad
        }.joined(separator: "  ").trailingSpacesTrimmed + "\n"
    }

    /// Columns a string takes in a terminal: East Asian wide characters take two.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            switch u.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
                w + 2
            default: w + 1
            }
        }
    }
}

extension String {
    var trailingSpacesTrimmed: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
