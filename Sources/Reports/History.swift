public import RubricEngine
import ZwgkFormats

/// `zwgk history`: a unit's trail as text or JSON.
public enum HistoryRenderer {
    /// The trail for a terminal: every text from the ledger shown on one line, its control characters escaped.
    public static func text(unit: Unit, year: Int, steps: [TrailStep]) -> String {
        func t(_ s: String) -> String { ControlText.escaped(s) }
        var out = "\(t(unit.name))(\(t(unit.unitClass))类)\(year)年度记录轨迹,共\(steps.count)条\n"
        for step in steps {
            let e = step.entry
            out += "\n#\(e.seq) 收到 \(e.received) 来源:\(t(e.origin))\n"
            switch e.record {
            case .finding(let f):
                out += "  发现问题 \(t(f.id))(\(f.date)\(f.method.map { ",\(t($0))" } ?? "")):\(t(f.indicator))"
                out += (f.clause.map { " [\(t($0))]" } ?? "") + (f.score.map { " 赋分\($0)" } ?? "")
                out += (f.points.map { " \($0)分" } ?? "") + (f.count > 1 ? " ×\(f.count)" : "") + "\n"
            case .notice(let n):
                out += "  通报 \(t(n.id))(\(n.date),\(t(n.levelLabel)))\(n.title.map { ":\(t($0))" } ?? "")\n"
            case .retraction(let r):
                out += "  撤销 \(t(r.id))(决定日期 \(r.date)):撤销 \(t(r.target)),理由:\(t(r.reason))\n"
            case .rectification(let r):
                out += "  整改报告 \(t(r.id))(\(r.date)):针对 \(t(r.target)),措施:\(t(r.measures))\(r.evidence.map { ",佐证:\(t($0))" } ?? "")\n"
                out += "  (整改台账记录,不影响得分)\n"
                continue
            case .recheck(let r):
                out += "  复查 \(t(r.id))(\(r.date)):\(t(r.target)) " + (r.passed ? "通过,已销号" : "未通过,需重新整改")
                out += (r.rectifyBy.map { ",新的整改期限 \($0)" } ?? "") + (r.note.map { ";\(t($0))" } ?? "") + "\n"
                out += "  (整改台账记录,不影响得分)\n"
                continue
            }
            if step.changes.isEmpty {
                out += "  得分无变化(已达上限、同项已扣或已被撤销)\n"
            }
            for c in step.changes {
                let delta = (c.after ?? .zero) - (c.before ?? .zero)
                out += "  \(t(c.row)):\(c.before?.description ?? "未评") → \(c.after?.description ?? "未评")(\(delta > .zero ? "+" : "")\(delta))\n"
            }
            out += "  总分:\(step.total)\n"
        }
        return out
    }

    public static func json(unit: Unit, year: Int, steps: [TrailStep]) -> String {
        var top = JSONObject()
        top.append("unit", .string(unit.name))
        top.append("class", .string(unit.unitClass))
        top.append("year", .number(String(year)))
        top.append(
            "steps",
            .array(
                steps.map { step in
                    var o = JSONObject()
                    o.append("seq", .number(String(step.entry.seq)))
                    o.append("file", .string(step.entry.file))
                    if let source = step.entry.source { o.append("source", .string(source)) }
                    o.append("received", .string(step.entry.received))
                    o.append("record", .object(step.entry.record.canonical))
                    o.append(
                        "changes",
                        .array(
                            step.changes.map { c in
                                var x = JSONObject()
                                x.append("indicator", .string(c.row))
                                x.append("before", c.before?.json ?? .null)
                                x.append("after", c.after?.json ?? .null)
                                return .object(x)
                            }))
                    o.append("total", step.total.json)
                    return .object(o)
                }))
        return JSONWriter.pretty(.object(top))
    }
}
