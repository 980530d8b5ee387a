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
        let grading = report.grading
        var header = ["排名", "单位", "总分"] + (grading == nil ? [] : ["等次", "等次说明"]) + (versus.map { [$0] } ?? []) + ["未评指标"]
        let fixed = header.count
        header += rows.map(\.name)
        var widths = header.map { ColumnFormat.fitting([$0]) }
        widths[1] = ColumnFormat.fitting(["单位"] + c.cards.map(\.unit.name))
        widths[fixed - 1] = min(40, ColumnFormat.fitting(["未评指标"] + c.cards.map { $0.pending.joined(separator: "、") }))
        if let grading { widths[4] = min(40, ColumnFormat.fitting(["等次说明"] + c.cards.compactMap { grading.grade(of: $0.unit.name)?.reason })) }
        for i in fixed..<header.count { widths[i] = min(widths[i], 18) }
        var sheet = WorksheetWriter(sharedStrings: strings)
        sheet.begin(columns: widths.map { ColumnFormat(width: $0) }, freezeHeader: true, to: &out)
        sheet.row(header.map { .text($0, style: .header) }, to: &out)
        for card in c.cards {
            var cells: [OutputCell] = [.number(String(card.rank)), .shared(card.unit.name), .number(card.total.description)]
            if let grading {
                let grade = grading.grade(of: card.unit.name)
                cells += [.shared(grade?.grade.rawValue ?? ""), .text(grade?.reason ?? "")]
            }
            if versus != nil { cells.append(report.change(card).map { .number($0.description) } ?? .text("新增")) }
            cells.append(.text(card.pending.joined(separator: "、")))
            let byID = Dictionary(card.rows.map { ($0.row.id, $0) }, uniquingKeysWith: { a, _ in a })
            for row in rows {
                guard let r = byID[row.id] else {
                    cells.append(.text(""))
                    continue
                }
                cells.append(r.pending ? .shared("未评") : .number(r.score.description))
            }
            sheet.row(cells, to: &out)
        }
        sheet.end(to: &out)
    }

    static let detailHeader = ["单位", "类别", "指标", "条款", "日期", "编号", "分值", "方式", "佐证", "问题说明", "来源", "说明"]

    /// Widths that fit the names that recur (units, rows, clauses), and room for the rest: a second pass over
    /// 500,000 lines only to size the columns would cost more than the sheet itself.
    static func details(_ report: ReportContext, strings: SharedStrings, to out: inout some TextOutputStream) {
        let units = report.standings.cards.map(\.unit.name)
        let rows = report.standings.rubric.rows.values
        let fit = [
            ColumnFormat.fitting(["单位"] + units), 6, min(40, ColumnFormat.fitting(rows.map(\.name))),
            ColumnFormat.fitting(["条款"] + rows.flatMap { $0.clauses.compactMap(\.name) }), 12, 24, 8, 12, 30, 30, 36, 30,
        ]
        var sheet = WorksheetWriter(sharedStrings: strings)
        sheet.begin(columns: fit.enumerated().map { i, w in ColumnFormat(width: w, style: i == 4 ? .date : nil) }, freezeHeader: true, to: &out)
        sheet.row(detailHeader.map { .text($0, style: .header) }, to: &out)
        // Shared-string numbers are looked up once per unit, row and clause, not once per line.
        let notice = strings.index(of: "通报")
        var methods: [String: Int] = [:]
        for c in report.standings.classes {
            for card in c.cards {
                let unit = strings.index(of: card.unit.name)
                let unitClass = strings.index(of: card.unit.unitClass + "类")
                for r in card.rows {
                    guard case .points(let rule) = r.row.scoring, r.entries.contains(where: { $0.withdrawnBy == nil && !$0.afterCutoff }) else { continue }
                    let lines = countedLines(r, rule)
                    guard !lines.isEmpty else { continue }
                    let row = strings.index(of: r.row.name)
                    let clauses = rule.clauses.map { $0.name.map { strings.index(of: $0) } }
                    let capNote = capNote(r, rule, lines)
                    let capIndex = capNote.isEmpty ? nil : strings.index(of: capNote)
                    let onceIndex = strings.index(of: "同一细项只扣一次,已扣" + (capNote.isEmpty ? "" : ";" + capNote))
                    for (e, points, once) in lines {
                        sheet.row(to: &out) { x in
                            x.shared(unit)
                            x.shared(unitClass)
                            x.shared(row)
                            x.shared(e.isNotice ? nil : e.clauseIndex.flatMap { clauses[$0] })
                            x.date(CalendarDate(year: e.date.year, month: e.date.month, day: e.date.day))
                            x.text(e.recordID)
                            x.number(points.description)
                            if e.isNotice {
                                x.shared(notice)
                            } else if let m = e.method, !m.isEmpty {
                                if let i = methods[m] {
                                    x.shared(i)
                                } else {
                                    let i = strings.index(of: m)
                                    methods[m] = i
                                    x.shared(i)
                                }
                            } else {
                                x.skip()
                            }
                            x.text(e.evidence ?? "")
                            x.text(e.note ?? "")
                            x.text(e.file, e.source ?? "")
                            x.shared(once ? onceIndex : capIndex)
                        }
                    }
                }
            }
        }
        sheet.end(to: &out)
    }

    /// The counted records of a points row (not withdrawn, dated up to the cutoff, under one of its clauses) with
    /// each one's nominal effect, negative for a deduction; a clause that deducts once counts on its first record
    /// only (the later ones are flagged).
    static func countedLines(_ r: RowScore, _ rule: PointsRule) -> [(RowEntry, Points, once: Bool)] {
        var deductedOnce: Set<Int> = []
        var lines: [(RowEntry, Points, once: Bool)] = []
        for e in r.entries where e.withdrawnBy == nil && !e.afterCutoff {
            guard let i = e.clauseIndex, rule.clauses.indices.contains(i) else { continue }
            switch rule.clauses[i].effect {
            case .deduct(let amount, let once):
                if once {
                    let first = deductedOnce.insert(i).inserted
                    lines.append((e, first ? -amount : .zero, !first))
                } else {
                    lines.append((e, -(amount * e.count), false))
                }
            case .bonus(let amount): lines.append((e, amount * e.count, false))
            case .discretionaryDeduct: lines.append((e, -((e.points ?? .zero) * e.count), false))
            case .discretionaryBonus: lines.append((e, (e.points ?? .zero) * e.count, false))
            }
        }
        return lines
    }

    /// What the row's lines add up to beyond what the row counted: a cap reached, or only the worst level taken.
    static func capNote(_ r: RowScore, _ rule: PointsRule, _ lines: [(RowEntry, Points, once: Bool)]) -> String {
        let deducted = lines.map { $0.1 < .zero ? -$0.1 : .zero }.sum()
        let bonus = lines.map { $0.1 > .zero ? $0.1 : .zero }.sum()
        var note = ""
        if rule.combine == .worst && lines.count > 1 {
            note = "按最重一档计,本指标实扣\(r.deducted)分"
        } else if deducted > r.deducted {
            note = "已达扣分上限,本指标实扣\(r.deducted)分"
        }
        if bonus > r.bonus { note += (note.isEmpty ? "" : ";") + "已达加分上限,本指标实加\(r.bonus)分" }
        return note
    }
}
