import RubricEngine
public import Spreadsheet

/// `scores.xlsx`: one ranking sheet per class (numbers as numbers, frozen header row, widths that fit Chinese
/// text) and `扣分明细`, every deduction and bonus counted. Each sheet is written as a stream, so the service
/// can put it in a file and the workbook is never held whole.
public enum ScoresWorkbook {
    /// The sheets, in order: `A类排名`, `B类排名`, …, `扣分明细`.
    public static func sheetNames(_ report: ReportContext) -> [String] {
        report.standings.classes.map { "\($0.unitClass.title)排名" } + ["扣分明细"]
    }

    /// Writes sheet `index` (of ``sheetNames(_:)``) to `out`, recurring texts into `strings`.
    public static func writeSheet(_ index: Int, of report: ReportContext, strings: SharedStrings, to out: inout some TextOutputStream) {
        if index < report.standings.classes.count {
            ranking(report.standings.classes[index], report: report, strings: strings, to: &out)
        } else {
            details(report, strings: strings, to: &out)
        }
    }

    static func ranking(_ c: ClassStandings, report: ReportContext, strings: SharedStrings, to out: inout some TextOutputStream) {
        let rows = c.cards.first?.rows.map(\.row) ?? []
        let versus = report.previous.map { "较\($0.period.label)" }
        var header = ["排名", "单位", "总分"] + (versus.map { [$0] } ?? []) + ["未评指标"]
        let fixed = header.count
        header += rows.map(\.name)
        var widths = header.map { ColumnFormat.fitting([$0]) }
        widths[1] = ColumnFormat.fitting(["单位"] + c.cards.map(\.unit.name))
        widths[fixed - 1] = min(40, ColumnFormat.fitting(["未评指标"] + c.cards.map { $0.pending.joined(separator: "、") }))
        for i in fixed..<header.count { widths[i] = min(widths[i], 18) }
        var sheet = WorksheetWriter(sharedStrings: strings)
        sheet.begin(columns: widths.map { ColumnFormat(width: $0) }, freezeHeader: true, to: &out)
        sheet.row(header.map { .text($0, style: .header) }, to: &out)
        for card in c.cards {
            var cells: [OutputCell] = [.number(String(card.rank)), .shared(card.unit.name), .number(card.total.description)]
            if versus != nil { cells.append(report.change(card).map { .number($0.description) } ?? .text("新增")) }
            cells.append(.text(card.pending.joined(separator: "、")))
            let byID = Dictionary(card.rows.map { ($0.row.id, $0) }, uniquingKeysWith: { a, _ in a })
            for row in rows {
                guard let r = byID[row.id] else { cells.append(.text("")); continue }
                cells.append(r.pending ? .shared("未评") : .number(r.score.description))
            }
            sheet.row(cells, to: &out)
        }
        sheet.end(to: &out)
    }

    /// One line of `扣分明细`.
    struct Line {
        var unit: String
        var unitClass: String
        var row: String
        var clause: String
        var date: Day
        var id: String
        var points: Points
        var method: String
        var evidence: String
        var source: String
        var note: String
    }

    static let detailHeader = ["单位", "类别", "指标", "条款", "日期", "编号", "分值", "方式", "佐证", "来源", "说明"]

    /// Widths that fit the names that recur (units, rows, clauses), and room for the rest: a second pass over
    /// 500,000 lines only to size the columns would cost more than the sheet itself.
    static func details(_ report: ReportContext, strings: SharedStrings, to out: inout some TextOutputStream) {
        let units = report.standings.cards.map(\.unit.name)
        let rows = report.standings.rubric.rows.values
        let fit = [
            ColumnFormat.fitting(["单位"] + units), 6, min(40, ColumnFormat.fitting(rows.map(\.name))),
            ColumnFormat.fitting(["条款", "通报"] + rows.flatMap { $0.clauses.compactMap(\.name) }), 12, 24, 8, 12, 30, 36, 30,
        ]
        var sheet = WorksheetWriter(sharedStrings: strings)
        sheet.begin(columns: fit.enumerated().map { i, w in ColumnFormat(width: w, style: i == 4 ? .date : nil) }, freezeHeader: true, to: &out)
        sheet.row(detailHeader.map { .text($0, style: .header) }, to: &out)
        forEachLine(report) { line in
            sheet.row([.shared(line.unit), .shared(line.unitClass), .shared(line.row), .shared(line.clause),
                       .date(CalendarDate(year: line.date.year, month: line.date.month, day: line.date.day)), .text(line.id),
                       .number(line.points.description), .shared(line.method), .text(line.evidence), .text(line.source), .shared(line.note)], to: &out)
        }
        sheet.end(to: &out)
    }

    /// Every counted record on a points row (not withdrawn, dated up to the cutoff, under one of the row's
    /// clauses), unit by unit in ranking order: its nominal effect, negative for a deduction. A clause that
    /// deducts once lists its amount on the first record only; a row whose deductions or bonuses reach a cap
    /// says so in 说明.
    static func forEachLine(_ report: ReportContext, _ body: (Line) -> Void) {
        for c in report.standings.classes {
            for card in c.cards {
                for r in card.rows {
                    guard case .points(let rule) = r.row.scoring else { continue }
                    var deductedOnce: Set<Int> = []
                    var nominalDeducted = Points.zero
                    var nominalBonus = Points.zero
                    var lines: [Line] = []
                    for e in r.entries where e.withdrawnBy == nil && !e.afterCutoff {
                        guard let i = e.clauseIndex, rule.clauses.indices.contains(i) else { continue }
                        var note = ""
                        let points: Points
                        switch rule.clauses[i].effect {
                        case .deduct(let amount, let once):
                            if once {
                                points = deductedOnce.insert(i).inserted ? -amount : .zero
                                if points == .zero { note = "同一细项只扣一次,已扣" }
                            } else {
                                points = -(amount * e.count)
                            }
                        case .bonus(let amount): points = amount * e.count
                        case .discretionaryDeduct: points = -((e.points ?? .zero) * e.count)
                        case .discretionaryBonus: points = (e.points ?? .zero) * e.count
                        }
                        if points < .zero { nominalDeducted = nominalDeducted - points } else { nominalBonus = nominalBonus + points }
                        lines.append(Line(unit: card.unit.name, unitClass: card.unit.unitClass + "类", row: r.row.name,
                                          clause: e.isNotice ? "通报" : e.clause ?? "", date: e.date, id: e.recordID, points: points,
                                          method: e.method ?? "", evidence: e.evidence ?? "",
                                          source: e.source.map { "\(e.file) \($0)" } ?? e.file, note: note))
                    }
                    var capNote = ""
                    if rule.combine == .worst && lines.count > 1 { capNote = "按最重一档计,本指标实扣\(r.deducted)分" }
                    else if nominalDeducted > r.deducted { capNote = "已达扣分上限,本指标实扣\(r.deducted)分" }
                    if nominalBonus > r.bonus { capNote += (capNote.isEmpty ? "" : ";") + "已达加分上限,本指标实加\(r.bonus)分" }
                    for var line in lines {
                        if !capNote.isEmpty { line.note += (line.note.isEmpty ? "" : ";") + capNote }
                        body(line)
                    }
                }
            }
        }
    }
}
