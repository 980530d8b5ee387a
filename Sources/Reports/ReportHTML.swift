public import RubricEngine
import ZwgkFormats

/// `report.html`: a self-contained Chinese report, readable in a browser and printable on A4.
public enum ReportHTML: StreamedReport {
    /// Writes the report to `out` as it is rendered: a year's report of thousands of units is never
    /// held whole. Unit pages are rendered on every core.
    public static func write(_ report: ReportContext, to out: inout some TextOutputStream) {
        let s = report.standings
        let title = "\(s.rubric.subject)得分报告(\(report.periodLabel))"
        var h = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(title))</title>
            <style>\(style)\(report.approvals.map { "\n" + ApprovalMarks.style($0) } ?? "")</style>
            </head>
            <body>
            <header>
            <h1>\(esc(title))</h1>
            <p class="meta">统计截止 \(s.cutoff) · 依据《\(esc(s.rubric.title))》(版本 \(esc(s.rubric.version)))</p>
            \(report.approvals.map(ApprovalMarks.headerHTML) ?? "")</header>

            """
        if let replaced = report.replaced { h += replacedSection(report, replaced) }
        for unitClass in s.classes where !unitClass.cards.isEmpty {
            h += ranking(unitClass, report: report)
        }
        if let lastYear = report.lastYear { h += LastYearReport.mostImprovedHTML(report, lastYear) }
        if !report.lateEntries.isEmpty { h += lateSection(report) }
        if case .annual? = report.period.map(\.span) { h += mostLostSection(report) }
        if !s.unplaced.isEmpty {
            h += "<section class=\"warn\"><h2>未能计分的记录</h2><p>以下记录的单位或指标已不在当前单位名单或考核细则中,未计入任何单位:</p><ul>"
            for u in s.unplaced { h += "<li>\(esc(u.recordID)) · \(esc(u.unit)):\(esc(u.reason))</li>" }
            h += "</ul></section>\n"
        }
        if let approvals = report.approvals { h += ApprovalMarks.historyHTML(approvals) }
        if let list = report.rectification { h += RectificationHTML.section(list) }
        out.write(h)
        let stats = Dictionary(s.classes.map { ($0.unitClass.name, Sections.stats($0)) }, uniquingKeysWith: { a, _ in a })
        writeInParallel(s.cards, to: &out) { unitPage($0, report: report, stats: stats[$0.unit.unitClass] ?? []) }
        out.write("<footer>本报告由 zwgk 根据账本中的记录自动生成;未评 = 尚未赋分,按0分计。</footer>\n</body>\n</html>\n")
    }

    /// One unit's page alone, for sending back to the unit.
    public static func renderUnit(_ card: Scorecard, report: ReportContext) -> String {
        let s = report.standings
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(esc(card.unit.name)) · \(esc(s.rubric.subject))(\(esc(report.periodLabel)))</title>
            <style>\(style)\(report.approvals.map { "\n" + ApprovalMarks.style($0) } ?? "")</style>
            </head>
            <body>
            <header>
            <h1>\(esc(card.unit.name)) · \(esc(s.rubric.subject))得分情况(\(esc(report.periodLabel)))</h1>
            <p class="meta">统计截止 \(s.cutoff) · 依据《\(esc(s.rubric.title))》(版本 \(esc(s.rubric.version)))</p>
            \(report.approvals.map(ApprovalMarks.headerHTML) ?? "")</header>
            \(unitPage(card, report: report, firstPage: true))</body>
            </html>

            """
    }

    static func ranking(_ c: ClassStandings, report: ReportContext) -> String {
        var h = "<section class=\"ranking\">\n<h2>\(esc(c.unitClass.title))单位排名</h2>\n" + gradeSummary(c, report: report)
        let versus = report.previous.map { "较\($0.period.label)" }
        h += "<table><thead><tr><th class=\"num\">排名</th><th>单位</th><th class=\"num\">总分</th>"
        if report.grading != nil { h += "<th>等次</th>" }
        if let versus { h += "<th class=\"num\">\(esc(versus))</th>" }
        if let lastYear = report.lastYear { h += "<th class=\"num\">\(lastYear.previousYear)年度</th><th class=\"num\">较上年</th>" }
        h += "<th>未评指标</th></tr></thead><tbody>\n"
        for card in c.cards {
            h += "<tr><td class=\"num\">\(card.rank)</td><td><a href=\"#\(anchor(card))\">\(esc(card.unit.name))</a></td>"
            h += "<td class=\"num\">\(card.total)</td>"
            if report.grading != nil { h += gradeCell(card, report: report) }
            if versus != nil { h += "<td class=\"num\">\(changeText(report.change(card)))</td>" }
            if let lastYear = report.lastYear {
                let p = lastYear.previous(card.unit)
                h += "<td class=\"num\">\(LastYearReport.then(p))</td><td class=\"num\">\(LastYearReport.change(p))</td>"
            }
            h += "<td>\(card.pending.isEmpty ? "" : "<span class=\"pending\">\(esc(card.pending.joined(separator: "、")))</span>")</td></tr>\n"
        }
        h += "</tbody></table>\n" + chart(c) + "</section>\n"
        return h
    }

    /// `↑ 2.5 分`, `↓ 1 分`, — (unchanged), or 新增 for a unit the previous period did not have: a change of the
    /// total, in points (never to be read as places).
    static func changeText(_ change: Points?) -> String {
        guard let change else { return "新增" }
        if change > .zero { return "<span class=\"up\">↑ \(change) 分</span>" }
        if change < .zero { return "<span class=\"down\">↓ \(-change) 分</span>" }
        return "—"
    }

    /// Where the ranking chart's axis starts: the lowest total rounded down to a multiple of 10, less 10, and not
    /// below 0 unless a total is (so 86.5 and 103 differ by most of the bar, not by a sixth of it).
    static func chartFloor(lowest: Points) -> Points {
        let tens = lowest.hundredths >= 0 ? lowest.hundredths / 1_000 : (lowest.hundredths - 999) / 1_000
        let floor = Points(hundredths: (tens - 1) * 1_000)
        return lowest >= .zero ? max(floor, .zero) : floor
    }

    /// An inline SVG bar chart of the class's totals, highest first, on an axis from ``chartFloor(lowest:)`` (marked
    /// at both ends, so the start is never taken for zero).
    static func chart(_ c: ClassStandings) -> String {
        guard let top = c.cards.map(\.total).max(), let bottom = c.cards.map(\.total).min() else { return "" }
        let low = chartFloor(lowest: bottom)
        let span = max(Double((top - low).hundredths), 1)
        let rowHeight = 20
        let labelWidth = 150
        let barWidth = 420
        let axis = c.cards.count * rowHeight + 8
        let height = axis + 16
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"\(esc(c.unitClass.title))总分图(横轴自 \(low) 分起)\" "
        svg += "width=\"\(labelWidth + barWidth + 60)\" height=\"\(height)\">\n"
        for (i, card) in c.cards.enumerated() {
            let y = 5 + i * rowHeight
            let width = Int(Double((card.total - low).hundredths) / span * Double(barWidth))
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 14)\" text-anchor=\"end\" font-size=\"12\">\(esc(card.unit.name))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(width, 1))\" height=\"14\" fill=\"#b5443a\"/>"
            svg += "<text x=\"\(labelWidth + max(width, 1) + 4)\" y=\"\(y + 14)\" font-size=\"12\">\(card.total)</text>\n"
        }
        svg += "<line x1=\"\(labelWidth)\" y1=\"\(axis - 2)\" x2=\"\(labelWidth + barWidth)\" y2=\"\(axis - 2)\" stroke=\"#555\" stroke-width=\"1\"/>"
        svg += "<text x=\"\(labelWidth)\" y=\"\(axis + 11)\" font-size=\"11\">\(low) 分</text>"
        svg += "<text x=\"\(labelWidth + barWidth)\" y=\"\(axis + 11)\" text-anchor=\"end\" font-size=\"11\">\(top) 分</text>\n"
        return svg + "</svg>\n"
    }

    static func lateSection(_ report: ReportContext) -> String {
        var h = "<section class=\"late\"><h2>补录记录</h2>\n<p>以下记录的日期在上一期快照的统计截止日之前,但在该快照生成之后才收到,本期起计入:</p>\n"
        h += "<table><thead><tr><th>日期</th><th>编号</th><th>单位</th><th>内容</th><th>来源文件</th><th>收到时间</th></tr></thead><tbody>\n"
        for e in report.lateEntries {
            let what: String
            switch e.record {
            case .finding(let f): what = f.indicator + (f.clause.map { "(\($0))" } ?? "")
            case .notice(let n): what = "通报(\(n.levelLabel))"
            case .retraction(let r): what = "撤销 \(r.target)"  // not listed today (retractions count whatever their date)
            case .rectification(let r): what = "整改报告 \(r.target)"  // not listed: never scored
            case .recheck(let r): what = "复查 \(r.target)"
            }
            h += "<tr><td>\(e.record.date)</td><td>\(esc(e.record.id))</td><td>\(esc(e.record.units.joined(separator: "、")))</td>"
            h += "<td>\(esc(what))</td><td>\(esc(e.origin))</td><td>\(esc(e.received))</td></tr>\n"
        }
        return h + "</tbody></table></section>\n"
    }

    static func mostLostSection(_ report: ReportContext) -> String {
        let rows = report.mostLost()
        guard !rows.isEmpty else { return "" }
        var h = "<section class=\"lost\"><h2>全年失分最多的指标</h2>\n<p>各单位在这些指标上扣分最多,可作为培训重点:</p>\n"
        h += "<table><thead><tr><th>指标</th><th class=\"num\">扣分合计</th><th class=\"num\">被扣分单位数</th></tr></thead><tbody>\n"
        for r in rows { h += "<tr><td>\(esc(r.row))</td><td class=\"num\">\(r.lost)</td><td class=\"num\">\(r.units)</td></tr>\n" }
        return h + "</tbody></table></section>\n"
    }

    static func replacedSection(_ report: ReportContext, _ old: [String: Points]) -> String {
        let changed = report.standings.cards.filter { old[$0.unit.name] != $0.total }
        var h = "<section class=\"warn\"><h2>本快照已按要求重新生成</h2>\n"
        if changed.isEmpty { return h + "<p>与被替换的快照相比,各单位总分没有变化。</p></section>\n" }
        h += "<p>与被替换的快照相比,以下单位的总分有变化:</p><table><thead><tr><th>单位</th><th class=\"num\">原总分</th><th class=\"num\">新总分</th></tr></thead><tbody>\n"
        for card in changed {
            h +=
                "<tr><td>\(esc(card.unit.name))</td><td class=\"num\">\(old[card.unit.name].map(\.description) ?? "—")</td><td class=\"num\">\(card.total)</td></tr>\n"
        }
        return h + "</tbody></table></section>\n"
    }

    /// One unit's page; `stats` are its class's section statistics (computed here when not given).
    static func unitPage(_ card: Scorecard, report: ReportContext, firstPage: Bool = false, stats: [SectionStats]? = nil) -> String {
        var h = "<section class=\"unit\(firstPage ? " first" : "")\" id=\"\(anchor(card))\">\n"
        h +=
            "<h2>\(esc(card.unit.name))<small>\(esc(card.unit.unitClass))类 · 总分 <b>\(card.total)</b> · 第\(card.rank)名\(gradeHeading(card, report: report))</small>\(report.approvals.map(ApprovalMarks.unitHTML) ?? "")</h2>\n"
        if let lastYear = report.lastYear { h += "<p class=\"last-year\">\(esc(LastYearReport.sentence(card, lastYear)))</p>\n" }
        if !card.pending.isEmpty {
            h += "<p class=\"pending-note\">未评指标(尚未赋分,暂按0分计):\(esc(card.pending.joined(separator: "、")))</p>\n"
        }
        h +=
            "<table class=\"rows\"><thead><tr><th>一级指标</th><th>指标</th><th class=\"num\">赋分</th><th class=\"num\">扣分</th><th class=\"num\">加分</th><th class=\"num\">得分</th></tr></thead><tbody>\n"
        for r in card.rows {
            let base: String
            if case .assigned(let range) = r.row.scoring { base = "\(range.lowerBound)—\(range.upperBound)" } else { base = r.base.description }
            h += "<tr\(r.pending ? " class=\"pending\"" : "")><td>\(esc(r.row.group ?? "—"))</td><td>\(esc(r.row.name))</td><td class=\"num\">\(base)</td>"
            h += "<td class=\"num\">\(r.deducted == .zero ? "" : "-\(r.deducted)")</td><td class=\"num\">\(r.bonus == .zero ? "" : "+\(r.bonus)")</td>"
            h += "<td class=\"num\">\(r.pending ? "未评" : r.score.description)</td></tr>\n"
        }
        h += "<tr class=\"total\"><td colspan=\"5\">合计</td><td class=\"num\">\(card.total)</td></tr>\n</tbody></table>\n"
        let classStats = stats ?? report.standings.classes.first { $0.unitClass.name == card.unit.unitClass }.map(Sections.stats) ?? []
        h += sectionsPart(card, report: report, stats: classStats)

        let detailed = card.rows.filter { !$0.entries.isEmpty }
        if !detailed.isEmpty {
            h +=
                "<h3>计分依据</h3>\n<table class=\"entries\"><thead><tr><th>指标</th><th>日期</th><th>编号</th><th>条款</th><th class=\"num\">次数/分值</th><th>方式</th><th>佐证</th><th>问题说明</th><th>来源(表格)</th></tr></thead><tbody>\n"
            for r in detailed {
                for e in r.entries {
                    var cls: [String] = []
                    var note = ""
                    if let by = e.withdrawnBy {
                        cls.append("withdrawn")
                        note = "<span class=\"tag\">已撤销(\(esc(by)))</span>"
                    } else if e.afterCutoff {
                        cls.append("later")
                        note = "<span class=\"tag\">截止日后,未计入</span>"
                    }
                    let amount = e.score.map { "赋\($0)分" } ?? e.points.map { "\($0)分" + (e.count > 1 ? "×\(e.count)" : "") } ?? "\(e.count)次"
                    h += "<tr class=\"\(cls.joined(separator: " "))\"><td>\(esc(r.row.name))</td><td>\(e.date)</td><td>\(esc(e.recordID))\(note)</td>"
                    h += "<td>\(esc(e.clause ?? ""))</td><td class=\"num\">\(amount)</td><td>\(e.isNotice ? "通报" : esc(e.method ?? ""))</td>"
                    h += "<td>\(esc(e.evidence ?? ""))</td><td>\(esc(e.note ?? ""))</td><td>\(esc(e.source.map { "\(e.file) \($0)" } ?? ""))</td></tr>\n"
                }
            }
            h += "</tbody></table>\n"
        }
        if !card.retractions.isEmpty {
            h += "<h3>撤销与更正</h3>\n<ul class=\"retractions\">\n"
            for x in card.retractions {
                h +=
                    "<li>\(x.retraction.date) 撤销 \(esc(x.retraction.target))(\(esc(x.targetRow ?? ""))):\(esc(x.retraction.reason)),影响得分 \(x.effect > .zero ? "+" : "")\(x.effect)</li>\n"
            }
            h += "</ul>\n"
        }
        if let list = report.rectification { h += RectificationHTML.unitItems(list, unit: card.unit.name) }
        h += "</section>\n"
        return h
    }

    static func anchor(_ card: Scorecard) -> String { anchor(unit: card.unit.name) }

    static func anchor(unit name: String) -> String {
        "unit-" + name.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: "-")
    }

    /// Text as HTML character data or an attribute value: markup escaped, and control characters (which HTML
    /// cannot hold, NUL among them) shown as `ControlText` writes them; line breaks and tabs stay.
    static func esc(_ text: String) -> String {
        let s = ControlText.escaped(text, keepingLineBreaks: true)
        if !s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 0x26: out += Array("&amp;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            case 0x22: out += Array("&quot;".utf8)
            case 0x27: out += Array("&#39;".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let style = """
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;\
        color:#222;margin:2em auto;max-width:60em;padding:0 1em;line-height:1.5}
        h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.3em;border-bottom:2px solid #8b0000;padding-bottom:.2em;margin-top:1.6em}
        h2 small{font-size:.7em;font-weight:normal;color:#555;margin-left:1em}h3{font-size:1.05em;margin:1.2em 0 .4em}
        .meta{color:#555;margin:0}table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}
        th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3ece4}
        .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold;background:#faf7f2}
        tr.pending td,.pending{color:#a05a00}.pending-note{color:#a05a00}tr.withdrawn td{color:#888;text-decoration:line-through}
        tr.later td{color:#888}.tag{display:inline-block;margin-left:.4em;font-size:.8em;color:#8b0000;text-decoration:none}
        .warn{border:1px solid #d9a;padding:.5em 1em;background:#fff6f6}a{color:#8b0000}.up{color:#17692b}.down{color:#a01010}
        svg.chart{display:block;margin:.6em 0;max-width:100%;height:auto}svg.chart text{fill:#333}
        footer{margin-top:2em;color:#777;font-size:.85em;border-top:1px solid #ccc;padding-top:.5em}
        table.rect,table.entries{font-size:.85em}table.rect td{white-space:nowrap}table.rect td:nth-child(1),table.rect td:nth-child(3){white-space:normal}table.rect td:nth-child(7){text-align:right}
        table.entries td:nth-child(2),table.entries td:nth-child(3){white-space:nowrap}table.rect td,table.rect th,table.entries td,table.entries th{padding:.2em .35em}
        tr.overdue td{color:#a01010}tr.closed td{color:#17692b}tr.withdrawn td{color:#888}tr.words td{color:#444;font-size:.92em;white-space:normal}
        .last-year{margin:.3em 0;font-size:.92em}.rect-summary,.rect-none,.note{margin:.3em 0;font-size:.92em}.note{color:#555}td small.note{font-size:.8em}
        .grades{margin:.3em 0}div.sections{break-inside:avoid;margin:.6em 0}div.sections svg{margin:0}p.weakest{margin:.2em 0;font-size:.92em}
        @page{size:A4;margin:15mm 12mm}
        @media print{body{margin:0;max-width:none;padding:0;font-size:10.5pt}a{color:inherit;text-decoration:none}table{line-height:1.3}
        section.unit,section.rect{break-before:page}section.unit.first{break-before:auto}thead{display:table-header-group}tr{break-inside:avoid}
        table.rows th,table.rows td{padding:.05em .4em;line-height:1.25}}
        """
}
