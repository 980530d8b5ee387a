import ZwgkFormats

/// What is wrong with a rubric data file: where (row) and what.
public struct RubricFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The row's id or name, or a top-level field, that is wrong.
    public var place: String
    public var problem: String

    public var description: String { "\(place):\(problem)" }
}

extension Rubric {
    /// Loads and checks a rubric data file (see `Resources/rubric-2023.json` for the format).
    public static func load(json bytes: [UInt8]) throws(RubricFileError) -> Rubric {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw RubricFileError(place: "文件", problem: "不是有效的UTF-8文本")
        }
        let root: JSONValue
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            throw RubricFileError(place: "文件", problem: "JSON格式错误,\(error)")
        }
        return try RubricDecoder().decode(root)
    }
}

private struct RubricDecoder {
    typealias Fail = RubricFileError

    func decode(_ root: JSONValue) throws(Fail) -> Rubric {
        guard case .object(let top) = root else { throw Fail(place: "文件", problem: "最外层必须是一个对象") }
        let year = try int(top["year"], "year", at: "文件")
        let version = try string(top["version"], "version", at: "文件")
        let title = try string(top["title"], "title", at: "文件")
        let subject = try top["subject"].map { v throws(Fail) in try string(v, "subject", at: "文件") } ?? title
        guard case .array(let rowValues)? = top["rows"], !rowValues.isEmpty else {
            throw Fail(place: "文件", problem: "缺少非空数组 rows")
        }
        var rows: [Row] = []
        var seenIDs = Set<String>()
        var seenNames = Set<String>()
        for (i, value) in rowValues.enumerated() {
            let row = try decodeRow(value, index: i)
            guard seenIDs.insert(row.id).inserted else { throw Fail(place: "rows[\(i)] \(row.id)", problem: "id 重复") }
            for name in [row.name] + row.aliases {
                guard seenNames.insert(Rubric.normalise(name)).inserted else {
                    throw Fail(place: "rows[\(i)] \(row.id)", problem: "名称“\(name)”与其他指标重复")
                }
            }
            rows.append(row)
        }
        guard case .array(let classValues)? = top["classes"], !classValues.isEmpty else {
            throw Fail(place: "文件", problem: "缺少非空数组 classes")
        }
        var classes: [UnitClass] = []
        for (i, value) in classValues.enumerated() {
            let place = "classes[\(i)]"
            guard case .object(let o) = value else { throw Fail(place: place, problem: "必须是对象") }
            let name = try string(o["class"], "class", at: place)
            let classTitle = try string(o["title"], "title", at: place)
            guard case .array(let ids)? = o["rows"] else { throw Fail(place: place, problem: "缺少数组 rows") }
            var rowIDs: [String] = []
            for id in ids {
                guard case .string(let s) = id, seenIDs.contains(s) else {
                    throw Fail(place: "\(place) \(name)", problem: "rows 中的“\(JSONWriter.compact(id))”不是已定义的指标 id")
                }
                guard !rowIDs.contains(s) else { throw Fail(place: "\(place) \(name)", problem: "指标 \(s) 列出了两次") }
                rowIDs.append(s)
            }
            var groups: [(name: String, total: Points?)] = []
            if case .array(let gs)? = o["groups"] {
                for g in gs {
                    guard case .object(let go) = g else { throw Fail(place: place, problem: "groups 的元素必须是对象") }
                    let gname = try string(go["name"], "name", at: "\(place) groups")
                    let total = try go["total"].map { v throws(Fail) in try points(v, "total", at: "\(place) groups \(gname)") }
                    groups.append((gname, total))
                }
            }
            guard !classes.contains(where: { $0.name == name }) else { throw Fail(place: place, problem: "类别“\(name)”重复") }
            classes.append(UnitClass(name: name, title: classTitle, rowIDs: rowIDs, groups: groups))
        }
        return Rubric(year: year, version: version, title: title, subject: subject, classes: classes, rows: rows)
    }

    private func decodeRow(_ value: JSONValue, index: Int) throws(Fail) -> Row {
        guard case .object(let o) = value else { throw Fail(place: "rows[\(index)]", problem: "必须是对象") }
        let id = try string(o["id"], "id", at: "rows[\(index)]")
        let place = "rows[\(index)] \(id)"
        let known: Set<String> = [
            "id", "name", "group", "applies", "base", "clauses", "combine", "deductionCap",
            "bonusCap", "assigned", "notice", "text", "aliases",
        ]
        if let unknown = o.keys.first(where: { !known.contains($0) }) {
            throw Fail(place: place, problem: "未知字段“\(unknown)”")
        }
        let name = try string(o["name"], "name", at: place)
        let group = try o["group"].map { v throws(Fail) in try string(v, "group", at: place) }
        let applies: Row.Applies
        switch o["applies"] {
        case nil: applies = .all
        case .string(let s)?:
            guard let a = Row.Applies(rawValue: s) else { throw Fail(place: place, problem: "applies 只能是 all 或 assigned") }
            applies = a
        default: throw Fail(place: place, problem: "applies 必须是字符串")
        }
        let text = try o["text"].map { v throws(Fail) in try string(v, "text", at: place) } ?? ""
        var aliases: [String] = []
        if case .array(let a)? = o["aliases"] {
            for v in a { aliases.append(try string(v, "aliases", at: place)) }
        }
        var noticeLevel: String?
        if let n = o["notice"] { noticeLevel = try string(n, "notice", at: place) }

        let scoring: Row.Scoring
        if let assigned = o["assigned"] {
            for field in ["base", "clauses", "combine", "deductionCap", "bonusCap", "notice"] where o[field] != nil {
                throw Fail(place: place, problem: "赋分项(assigned)不能再有 \(field)")
            }
            guard case .array(let bounds) = assigned, bounds.count == 2 else {
                throw Fail(place: place, problem: "assigned 必须是 [最低分, 最高分]")
            }
            let lo = try points(bounds[0], "assigned", at: place)
            let hi = try points(bounds[1], "assigned", at: place)
            guard lo <= hi else { throw Fail(place: place, problem: "assigned 的最低分大于最高分") }
            scoring = .assigned(lo...hi)
        } else {
            let base = try o["base"].map { v throws(Fail) in try points(v, "base", at: place) } ?? .zero
            guard base >= .zero else { throw Fail(place: place, problem: "base 不能为负") }
            let combine: PointsRule.Combine
            switch o["combine"] {
            case nil: combine = .sum
            case .string(let s)?:
                guard let c = PointsRule.Combine(rawValue: s) else { throw Fail(place: place, problem: "combine 只能是 sum 或 worst") }
                combine = c
            default: throw Fail(place: place, problem: "combine 必须是字符串")
            }
            let deductionCap = try o["deductionCap"].map { v throws(Fail) in try points(v, "deductionCap", at: place) }
            let bonusCap = try o["bonusCap"].map { v throws(Fail) in try points(v, "bonusCap", at: place) }
            for cap in [deductionCap, bonusCap] {
                if let cap, cap < .zero { throw Fail(place: place, problem: "上限不能为负") }
            }
            guard case .array(let clauseValues)? = o["clauses"], !clauseValues.isEmpty else {
                throw Fail(place: place, problem: "缺少非空数组 clauses")
            }
            var clauses: [Clause] = []
            for (j, cv) in clauseValues.enumerated() {
                clauses.append(try decodeClause(cv, at: "\(place) clauses[\(j)]"))
            }
            if clauses.count > 1 {
                var names = Set<String>()
                for c in clauses {
                    guard let n = c.name else { throw Fail(place: place, problem: "有多个 clause 时每个都必须有 name") }
                    guard names.insert(Row.normaliseClause(n)).inserted else { throw Fail(place: place, problem: "clause“\(n)”重复") }
                }
            }
            if noticeLevel != nil {
                guard clauses.count == 1, case .deduct(_, once: false) = clauses[0].effect else {
                    throw Fail(place: place, problem: "由通报计分的指标(notice)必须只有一项按次扣分的 clause")
                }
            }
            scoring = .points(
                PointsRule(
                    base: base, clauses: clauses, combine: combine,
                    deductionCap: deductionCap, bonusCap: bonusCap))
        }
        return Row(
            id: id, name: name, group: group, applies: applies, scoring: scoring,
            noticeLevel: noticeLevel, text: text, aliases: aliases)
    }

    private func decodeClause(_ value: JSONValue, at place: String) throws(Fail) -> Clause {
        guard case .object(let o) = value else { throw Fail(place: place, problem: "必须是对象") }
        let known: Set<String> = ["name", "deduct", "bonus", "per", "discretionary"]
        if let unknown = o.keys.first(where: { !known.contains($0) }) {
            throw Fail(place: place, problem: "未知字段“\(unknown)”")
        }
        let name = try o["name"].map { v throws(Fail) in try string(v, "name", at: place) }
        let effects = ["deduct", "bonus", "discretionary"].filter { o[$0] != nil }
        guard effects.count == 1 else { throw Fail(place: place, problem: "deduct、bonus、discretionary 必须恰好有一个") }
        let effect: Clause.Effect
        switch effects[0] {
        case "deduct":
            let amount = try points(o["deduct"], "deduct", at: place)
            guard amount > .zero else { throw Fail(place: place, problem: "deduct 必须大于0") }
            let per = try o["per"].map { v throws(Fail) in try string(v, "per", at: place) } ?? "occurrence"
            guard per == "occurrence" || per == "once" else { throw Fail(place: place, problem: "per 只能是 occurrence 或 once") }
            effect = .deduct(amount, once: per == "once")
        case "bonus":
            let amount = try points(o["bonus"], "bonus", at: place)
            guard amount > .zero else { throw Fail(place: place, problem: "bonus 必须大于0") }
            guard o["per"] == nil else { throw Fail(place: place, problem: "加分按次计,不能有 per") }
            effect = .bonus(amount)
        default:
            switch o["discretionary"] {
            case .string("deduct")?: effect = .discretionaryDeduct
            case .string("bonus")?: effect = .discretionaryBonus
            default: throw Fail(place: place, problem: "discretionary 只能是 deduct 或 bonus")
            }
        }
        return Clause(name: name, effect: effect)
    }

    private func string(_ v: JSONValue?, _ field: String, at place: String) throws(Fail) -> String {
        guard case .string(let s)? = v, !s.isEmpty else { throw Fail(place: place, problem: "\(field) 必须是非空字符串") }
        return s
    }

    private func int(_ v: JSONValue?, _ field: String, at place: String) throws(Fail) -> Int {
        guard case .number(let n)? = v, let i = Int(n) else { throw Fail(place: place, problem: "\(field) 必须是整数") }
        return i
    }

    private func points(_ v: JSONValue?, _ field: String, at place: String) throws(Fail) -> Points {
        guard case .number(let n)? = v, let p = Points(exactly: n) else {
            throw Fail(place: place, problem: "\(field) 必须是最多两位小数的数字")
        }
        return p
    }
}
