import RubricEngine
import ZwgkFormats

/// The annual report's comparison with the year before (`ReportContext.lastYear`), in each format.
enum LastYearReport {
    // MARK: scores.json

    /// A unit's `last_year`: its result then and the change, or `"new": true` for a unit not assessed then.
    static func json(_ card: Scorecard, _ lastYear: YearOverYear) -> JSONValue {
        var o = JSONObject()
        o.append("year", .number(String(lastYear.previousYear)))
        guard let p = lastYear.previous(card.unit) else {
            o.append("new", .bool(true))
            return .object(o)
        }
        if p.name != card.unit.name { o.append("unit", .string(p.name)) }
        if p.unitClass != card.unit.unitClass { o.append("class", .string(p.unitClass)) }
        o.append("total", p.total.json)
        o.append("rank", .number(String(p.rank)))
        if let grade = p.grade { o.append("grade", .string(grade)) }
        o.append("total_change", p.totalChange.json)
        o.append("rank_change", p.rankChange.map { .number(String($0)) } ?? .null)
        o.append("share_change", p.share.map(\.change.json) ?? .null)
        return .object(o)
    }

    /// A class's `most_improved` list.
    static func mostImprovedJSON(_ unitClass: String, _ lastYear: YearOverYear) -> JSONValue {
        .array(
            (lastYear.mostImproved[unitClass] ?? []).map { p in
                var o = JSONObject()
                o.append("unit", .string(p.unit))
                o.append("rank", .number(String(p.rank - p.rankChange!)))
                o.append("previous_rank", .number(String(p.rank)))
                o.append("rank_change", .number(String(p.rankChange!)))
                o.append("total_change", p.totalChange.json)
                o.append("share_change", p.share.map(\.change.json) ?? .null)
                return .object(o)
            })
    }

    // MARK: Words, shared by the HTML and Markdown

    /// `92.5(第3名)`, or 新增.
    static func then(_ p: PreviousResult?) -> String {
        guard let p else { return "新增" }
        return "\(p.total)(第\(p.rank)名\(p.grade.map { "·\($0)" } ?? ""))"
    }

    /// `↑2名 +1.5分`, `↓1名 -0.5分`, `名次不变 +0分`; the rank part is left out when the class changed.
    static func change(_ p: PreviousResult?) -> String {
        guard let p else { return "—" }
        var parts: [String] = []
        if let r = p.rankChange { parts.append(r > 0 ? "↑\(r)名" : r < 0 ? "↓\(-r)名" : "名次不变") }
        parts.append(signed(p.totalChange) + "分")
        return parts.joined(separator: " ")
    }

    static func signed(_ p: Points) -> String { p > .zero ? "+\(p)" : p < .zero ? "-\(-p)" : "±0" }

    /// The unit page's sentence about the year before.
    static func sentence(_ card: Scorecard, _ lastYear: YearOverYear) -> String {
        let year = "上年度(\(lastYear.previousYear)年)"
        guard let p = lastYear.previous(card.unit) else { return "\(year):新增单位,无上年度考核结果。" }
        var s = "\(year)"
        if p.name != card.unit.name { s += "以“\(p.name)”参加考核," } else { s += ":" }
        s += "总分 \(p.total),\(p.unitClass)类第\(p.rank)名"
        if let grade = p.grade { s += ",等次 \(grade)" }
        s += "。较上年:总分 \(signed(p.totalChange))"
        if let r = p.rankChange { s += ",名次" + (r > 0 ? "上升\(r)位" : r < 0 ? "下降\(-r)位" : "不变") }
        if let share = p.share { s += ",得分率 \(signed(share.change)) 个百分点" }
        return s + "。"
    }

    // MARK: report.html

    /// The 进步最大 section: per class, the units that rose most.
    static func mostImprovedHTML(_ report: ReportContext, _ lastYear: YearOverYear) -> String {
        var h = "<section class=\"improved\"><h2>进步最大的单位(与\(lastYear.previousYear)年度相比)</h2>\n"
        h += "<p class=\"note\">按名次上升位数排序,名次上升相同的按总分占本类基础分比例的提高排序(各年度基础分可能不同)。</p>\n"
        for c in report.standings.classes where !c.cards.isEmpty {
            let list = lastYear.mostImproved[c.unitClass.name] ?? []
            h += "<h3>\(ReportHTML.esc(c.unitClass.title))</h3>\n"
            guard !list.isEmpty else {
                h += "<p class=\"note\">本类没有名次上升或得分率提高的单位。</p>\n"
                continue
            }
            h += "<table><thead><tr><th>单位</th><th class=\"num\">上年名次</th><th class=\"num\">本年名次</th><th class=\"num\">名次变化</th>"
            h += "<th class=\"num\">总分变化</th><th class=\"num\">得分率变化</th></tr></thead><tbody>\n"
            for p in list {
                h += "<tr><td>\(ReportHTML.esc(p.unit))</td><td class=\"num\">\(p.rank)</td><td class=\"num\">\(p.rank - p.rankChange!)</td>"
                h += "<td class=\"num\">↑\(p.rankChange!)</td><td class=\"num\">\(signed(p.totalChange))</td>"
                h += "<td class=\"num\">\(p.share.map { signed($0.change) + " 个百分点" } ?? "—")</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        return h + "</section>\n"
    }

    // MARK: summary.md

    static func mostImprovedMarkdown(_ report: ReportContext, _ lastYear: YearOverYear) -> String {
        var out = "\n## 进步最大的单位(与\(lastYear.previousYear)年度相比)\n"
        for c in report.standings.classes where !c.cards.isEmpty {
            let list = lastYear.mostImproved[c.unitClass.name] ?? []
            out +=
                "\n\(c.unitClass.title):"
                + (list.isEmpty
                    ? "无名次上升或得分率提高的单位。"
                    : list.map { "\($0.unit)(第\($0.rank)名→第\($0.rank - $0.rankChange!)名,\(signed($0.totalChange))分)" }.joined(separator: "、")) + "\n"
        }
        return out
    }
}
