import RubricEngine
import ZwgkFormats

/// Checks records one by one, collecting every problem and the records that pass.
struct RecordChecker {
    let context: DropFileContext
    var problems: [Problem] = []
    var new: [Record] = []
    var duplicates: [Record] = []
    /// For each of `new`, its position in the file (as passed to `check`).
    var newPositions: [Int] = []
    /// Records earlier in this file, by (year, id).
    private var inFile: [YearID: Record] = [:]

    private struct YearID: Hashable {
        var year: Int
        var id: String
    }

    init(context: DropFileContext) { self.context = context }

    static let common = ["type", "id", "year", "date"]
    static let fields: [String: [String]] = [
        "finding": common + ["unit", "indicator", "clause", "count", "score", "points", "method", "evidence", "note"],
        "notice": common + ["level", "units", "title", "evidence"],
        "retraction": common + ["target", "reason", "units", "evidence"],
    ]

    mutating func check(_ value: JSONValue, position: Int) {
        var record = Fields(position: position)
        defer { problems += record.problems }
        guard case .object(let o) = value else {
            record.fail(nil, "每条记录必须是一个JSON对象(用花括号{}括起),这里是\(value.typeName)。")
            return
        }
        record.object = o
        if case .string(let id)? = o["id"] { record.recordID = id }

        let type = record.string("type")
        guard let type, let allowed = Self.fields[type] else {
            if type != nil {
                record.fail("type", "“\(type!)”不是有效的记录类型;应为 finding(发现问题)、notice(通报)或 retraction(撤销)。")
            }
            return
        }
        for key in o.keys where !allowed.contains(key) {
            let hint = closest(to: key, among: allowed)
            record.fail(key, "\(type) 记录没有这个字段。" + (hint.isEmpty ? "" : "是否是 \(hint[0])?") + "请删除或更正。")
        }
        let id = record.identifier()
        let year = record.year(rubrics: context.rubrics)
        let date = record.date(year: year)

        let parsed: Record?
        switch type {
        case "finding": parsed = finding(&record, id: id, year: year, date: date)
        case "notice": parsed = notice(&record, id: id, year: year, date: date)
        default: parsed = retraction(&record, id: id, year: year, date: date)
        }
        guard record.problems.isEmpty, let parsed else { return }
        admit(parsed, &record)
    }

    /// Sorts a valid record into new, duplicate or conflicting.
    private mutating func admit(_ record: Record, _ fields: inout Fields) {
        let key = YearID(year: record.year, id: record.id)
        if let earlier = inFile[key] {
            if earlier == record {
                duplicates.append(record)
            } else {
                fields.fail("id", "本文件中前面已有 id 相同但内容不同的记录。同一年度内每条记录的 id 必须唯一;请给其中一条换一个 id。")
            }
            return
        }
        if let stored = context.existing(record.year, record.id) {
            if stored == record {
                duplicates.append(record)
                inFile[key] = record
            } else {
                fields.fail("id", "\(record.year)年度已有 id 为“\(record.id)”的\(stored.kindName)记录,但内容不同(冲突)。已入账的记录不能修改:如需更正,请提交撤销(retraction)记录和新的记录;如果这是另一条记录,请换一个 id。")
            }
            return
        }
        inFile[key] = record
        new.append(record)
        newPositions.append(fields.position)
    }

    // MARK: - Findings

    private func finding(_ f: inout Fields, id: String?, year: Int?, date: Day?) -> Record? {
        let rubric = year.flatMap { context.rubrics[$0] }
        let unitName = f.string("unit")
        let unit = unitName.flatMap { name -> Unit? in
            if let u = context.roster[name] { return u }
            let hint = context.roster.suggestions(for: name)
            f.fail("unit", "单位“\(name)”不在单位名单中。" + (hint.isEmpty ? "请核对单位全称。" : "是否是:\(hint.joined(separator: "、"))?"))
            return nil
        }
        let indicatorName = f.string("indicator")
        var row: Row?
        if let indicatorName, let rubric {
            row = rubric.row(named: indicatorName)
            if row == nil {
                let hint = closest(to: indicatorName, among: rubric.rows.values.map(\.name))
                f.fail("indicator", "“\(indicatorName)”不是\(rubric.year)年度考核细则中的指标。" + (hint.isEmpty ? "请按细则中三级指标的名称填写。" : "是否是:\(hint.joined(separator: "、"))?"))
            }
        }
        if let r = row, let unit, let rubric, !context.roster.applies(r, to: unit, in: rubric) {
            if rubric.rows(of: unit.unitClass).contains(where: { $0.id == r.id }) {
                f.fail("indicator", "指标“\(r.name)”只适用于指定单位,“\(unit.name)”未被指定(见单位名单的 assigned)。请核对单位,或先在单位名单中为该单位指定此指标。")
            } else {
                f.fail("indicator", "“\(unit.name)”是\(unit.unitClass)类单位,\(unit.unitClass)类考核细则没有指标“\(r.name)”。")
            }
            row = nil
        }

        var clause: Clause?
        let clauseText = f.optionalString("clause")
        if let row {
            switch row.scoring {
            case .assigned:
                if let clauseText { f.fail("clause", "赋分指标“\(row.name)”没有细项,不应填写 clause(收到“\(clauseText)”)。") }
            case .points(let rule):
                let names = rule.clauses.compactMap(\.name)
                if let clauseText {
                    if rule.clauses.count == 1 && rule.clauses[0].name == nil {
                        f.fail("clause", "指标“\(row.name)”只有一项,不应填写 clause(收到“\(clauseText)”)。请删除该字段。")
                    } else if let c = row.clause(named: clauseText) {
                        clause = c
                    } else {
                        f.fail("clause", "指标“\(row.name)”没有细项“\(clauseText)”;可选:\(names.joined(separator: "、"))。")
                    }
                } else if rule.clauses.count == 1 && rule.clauses[0].name == nil {
                    clause = rule.clauses[0]
                } else {
                    f.fail("clause", "指标“\(row.name)”有多个细项,必须写明 clause:\(names.joined(separator: "、"))。")
                }
            }
        }

        let count = f.count()
        var score: Points?
        var points: Points?
        if let row {
            switch row.scoring {
            case .assigned(let range):
                if let c = count, c != 1 { f.fail("count", "赋分指标“\(row.name)”按分值赋分,不能填写次数 count。") }
                score = f.amount("score")
                if let s = score, !range.contains(s) {
                    f.fail("score", "\(s)超出指标“\(row.name)”的赋分范围\(range.lowerBound)—\(range.upperBound)。")
                } else if score == nil && !f.has("score") {
                    f.fail("score", "赋分指标“\(row.name)”必须给出分值 score(\(range.lowerBound)—\(range.upperBound))。")
                }
                if f.has("points") { f.fail("points", "赋分指标请用 score 填写分值,不用 points。") }
            case .points:
                if f.has("score") { f.fail("score", "指标“\(row.name)”不是赋分指标,不能填写 score。") }
                if let clause, clause.isDiscretionary {
                    points = f.amount("points")
                    if let p = points, p <= .zero {
                        f.fail("points", "酌情分值必须大于0(收到\(p));扣分或加分由细项决定。")
                    } else if let p = points, p > Points(100) {
                        f.fail("points", "酌情分值\(p)超过100分(整个考核满分为100分),请核对。")
                    } else if points == nil && !f.has("points") {
                        f.fail("points", "“\(row.name)”\(clause.name.map { "(\($0))" } ?? "")由领导组酌情决定分值,必须填写 points(大于0)。")
                    }
                } else if f.has("points") {
                    f.fail("points", "指标“\(row.name)”按细则计分,不能填写 points。")
                }
            }
        }
        let method = f.optionalString("method")
        let evidence = f.optionalString("evidence")
        let note = f.optionalString("note")
        guard let id, let year, let date, let unit, let row, let count else { return nil }
        if case .points = row.scoring, clause == nil { return nil }
        if case .assigned = row.scoring, score == nil { return nil }
        if clause?.isDiscretionary == true, points == nil { return nil }
        return .finding(Finding(id: id, year: year, date: date, unit: unit.name, indicator: row.name, clause: clause?.name,
                                count: count, score: score, points: points, method: method, evidence: evidence, note: note))
    }

    // MARK: - Notices

    private func notice(_ f: inout Fields, id: String?, year: Int?, date: Day?) -> Record? {
        let level = f.string("level")
        if let level, !["quarterly", "monthly"].contains(level) {
            f.fail("level", "“\(level)”不是有效的通报级别;应为 quarterly(省、运城市季度检查)或 monthly(我市每月全覆盖检查)。")
        }
        let units = f.unitList("units", roster: context.roster, required: true)
        let title = f.optionalString("title")
        let evidence = f.optionalString("evidence")
        guard let id, let year, let date, let level, let units else { return nil }
        return .notice(Notice(id: id, year: year, date: date, level: level, units: units, title: title, evidence: evidence))
    }

    // MARK: - Retractions

    private func retraction(_ f: inout Fields, id: String?, year: Int?, date: Day?) -> Record? {
        let target = f.string("target")
        let reason = f.string("reason")
        if let reason, reason.allSatisfy(\.isWhitespace) { f.fail("reason", "撤销理由不能为空白。") }
        let units = f.unitList("units", roster: context.roster, required: false)
        let evidence = f.optionalString("evidence")
        guard let year, let target else { return nil }
        let key = YearID(year: year, id: target)
        guard let original = inFile[key] ?? context.existing(year, target) else {
            f.fail("target", "\(year)年度没有 id 为“\(target)”的记录可以撤销。请核对被撤销记录的 id 和年度(只能撤销同一年度的记录)。")
            return nil
        }
        // Earlier retractions of the same target; one with this very id is this record again (a duplicate
        // or a conflict, which `admit` decides), not an earlier withdrawal.
        let earlier = (context.retractions(year, target) + new.compactMap { r -> Retraction? in
            if case .retraction(let x) = r, x.target == target { return x }
            return nil
        }).filter { $0.id != id }
        switch original {
        case .retraction:
            f.fail("target", "“\(target)”本身是一条撤销记录,撤销记录不能再被撤销。如需恢复原记录,请重新提交一条新的记录。")
        case .finding:
            if units != nil { f.fail("units", "只有通报可以按单位撤销;撤销发现问题记录时不要填写 units。") }
            if let first = earlier.first {
                f.fail("target", "“\(target)”已被撤销(撤销记录 “\(first.id)”),不能重复撤销。")
            }
        case .notice(let notice):
            let named = Set(notice.units)
            let outside = (units ?? []).filter { !named.contains($0) }
            if !outside.isEmpty {
                f.fail("units", "通报“\(target)”没有点名\(outside.map { "“\($0)”" }.joined(separator: "、")),无法对其撤销。")
            }
            let withdrawn: Set<String> = earlier.reduce(into: []) { acc, r in acc.formUnion(r.units ?? notice.units) }
            let again = (units ?? notice.units).filter { withdrawn.contains($0) }
            if !again.isEmpty {
                f.fail("target", "通报“\(target)”对\(again.map { "“\($0)”" }.joined(separator: "、"))已被撤销,不能重复撤销。")
            }
        }
        guard let id, let date, let reason, f.problems.isEmpty else { return nil }
        return .retraction(Retraction(id: id, year: year, date: date, target: target, reason: reason, units: units, evidence: evidence))
    }
}

extension Record {
    /// The record type in words, for messages.
    var kindName: String {
        switch self {
        case .finding: "发现问题(finding)"
        case .notice: "通报(notice)"
        case .retraction: "撤销(retraction)"
        }
    }
}

/// Reads typed fields of one record object, recording a problem for each bad one.
private struct Fields {
    let position: Int
    var recordID: String?
    var object = JSONObject()
    var problems: [Problem] = []

    init(position: Int) { self.position = position }

    mutating func fail(_ field: String?, _ message: String) {
        problems.append(Problem(record: position, recordID: recordID, field: field, message))
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    /// A required, non-empty string.
    mutating func string(_ key: String) -> String? {
        guard let v = object[key] else {
            fail(key, "缺少必填字段 \(key)。")
            return nil
        }
        guard case .string(let s) = v else {
            fail(key, "应为字符串,收到的是\(v.typeName)。")
            return nil
        }
        guard !s.isEmpty else {
            fail(key, "不能为空字符串。")
            return nil
        }
        return s
    }

    mutating func optionalString(_ key: String) -> String? {
        guard let v = object[key] else { return nil }
        guard case .string(let s) = v else {
            fail(key, "应为字符串,收到的是\(v.typeName)。")
            return nil
        }
        return s
    }

    mutating func identifier() -> String? {
        guard let id = string("id") else { return nil }
        if id.count > 128 {
            fail("id", "长度为\(id.count)个字符,超过128个字符的上限。")
            return nil
        }
        if id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            fail("id", "不能包含换行、制表符等控制字符。")
            return nil
        }
        if id.first!.isWhitespace || id.last!.isWhitespace {
            fail("id", "首尾不能有空格。")
            return nil
        }
        return id
    }

    mutating func year(rubrics: [Int: Rubric]) -> Int? {
        guard let v = object["year"] else {
            fail("year", "缺少必填字段 year(考核年度,如 2023)。")
            return nil
        }
        guard case .number(let n) = v, let y = Int(n) else {
            fail("year", "应为整数年份(如 2023,不加引号),收到的是\(JSONWriter.compact(v))。")
            return nil
        }
        guard rubrics[y] != nil else {
            let known = rubrics.keys.sorted().map(String.init).joined(separator: "、")
            fail("year", "没有\(y)年度的考核细则(已配置:\(known))。请核对年度,或由管理员在配置文件中加入该年度的细则。")
            return nil
        }
        return y
    }

    mutating func date(year: Int?) -> Day? {
        guard let text = string("date") else { return nil }
        guard let day = Day(text) else {
            fail("date", "“\(text)”不是有效日期;请写成 YYYY-MM-DD(如 2023-05-12),并确认该日期存在。")
            return nil
        }
        if let year, day.year != year {
            fail("date", "日期\(day)不在考核年度\(year)年内。")
            return nil
        }
        return day
    }

    mutating func count() -> Int? {
        guard let v = object["count"] else { return 1 }
        guard case .number(let n) = v, let c = Int(n) else {
            fail("count", "次数应为正整数(如 1、2),收到的是\(JSONWriter.compact(v))。")
            return nil
        }
        guard c >= 1 else {
            fail("count", "次数必须至少为1,收到\(c)。")
            return nil
        }
        guard c <= DropFile.maxCount else {
            fail("count", "次数\(c)过大(上限\(DropFile.maxCount)),请核对。")
            return nil
        }
        return c
    }

    /// An exact amount (two decimals at most), when present.
    mutating func amount(_ key: String) -> Points? {
        guard let v = object[key] else { return nil }
        guard case .number(let n) = v else {
            fail(key, "应为数字(不加引号),收到的是\(v.typeName)\(JSONWriter.compact(v))。")
            return nil
        }
        guard let p = Points(exactly: n) else {
            fail(key, "“\(n)”不是最多两位小数的数值。")
            return nil
        }
        return p
    }

    mutating func unitList(_ key: String, roster: UnitRoster, required: Bool) -> [String]? {
        guard let v = object[key] else {
            if required { fail(key, "缺少必填字段 \(key)(被点名单位的名称数组)。") }
            return nil
        }
        guard case .array(let items) = v else {
            fail(key, "应为单位名称的数组,如 [\"市财政局\", \"城东街道\"],收到的是\(v.typeName)。")
            return nil
        }
        guard !items.isEmpty else {
            fail(key, "单位名单不能为空。")
            return nil
        }
        var names: [String] = []
        var ok = true
        for (i, item) in items.enumerated() {
            guard case .string(let name) = item else {
                fail("\(key)[\(i)]", "应为单位名称字符串,收到的是\(item.typeName)。")
                ok = false
                continue
            }
            if names.contains(name) {
                fail("\(key)[\(i)]", "单位“\(name)”重复出现。每个单位只列一次。")
                ok = false
                continue
            }
            if roster[name] == nil {
                let hint = roster.suggestions(for: name)
                fail("\(key)[\(i)]", "单位“\(name)”不在单位名单中。" + (hint.isEmpty ? "请核对单位全称。" : "是否是:\(hint.joined(separator: "、"))?"))
                ok = false
            }
            names.append(name)
        }
        return ok ? names : nil
    }
}
