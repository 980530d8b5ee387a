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
    var inFile: [YearID: Record] = [:]
    /// Retractions earlier in this file, by the (year, id) they withdraw.
    var retractionsInFile: [YearID: [Retraction]] = [:]
    /// Rectifications and re-checks earlier in this file, by the (year, id) they follow up.
    var followUpsInFile: [YearID: [Record]] = [:]
    /// "Did you mean" suggestions, bounded for the whole file.
    let hints = Hints()
    let rowNames = RowNames()

    struct YearID: Hashable {
        var year: Int
        var id: String
    }

    init(context: DropFileContext) { self.context = context }

    static let common = ["type", "id", "year", "date"]

    /// The fields a record of `type` may have.
    static func fields(_ type: RecordType) -> [String] {
        switch type {
        case .finding: common + ["unit", "indicator", "clause", "count", "score", "points", "method", "evidence", "note", "rectify_by"]
        case .notice: common + ["level", "units", "title", "evidence", "rectify_by"]
        case .retraction: common + ["target", "reason", "units", "evidence"]
        case .rectification: common + ["target", "unit", "measures", "evidence"]
        case .recheck: common + ["target", "unit", "result", "note", "rectify_by"]
        }
    }

    /// Every type in words, for messages: `finding(发现问题)、notice(通报)…或 recheck(复查)`.
    static let typesInWords: String = {
        let each = RecordType.allCases.map { "\($0.rawValue)(\($0.chineseName))" }
        return each.dropLast().joined(separator: "、") + "或 " + each.last!
    }()

    mutating func check(_ value: JSONValue, position: Int) {
        var record = Fields(position: position)
        defer { problems += record.problems }
        guard case .object(let o) = value else {
            record.fail(nil, "每条记录必须是一个JSON对象(用花括号{}括起),这里是\(value.typeName)。")
            return
        }
        record.object = o
        if case .string(let id)? = o["id"] { record.recordID = id }

        let typeName = record.string("type")
        guard let typeName, let type = RecordType(rawValue: typeName) else {
            if let typeName { record.fail("type", "“\(typeName)”不是有效的记录类型;应为 \(Self.typesInWords)。") }
            return
        }
        let allowed = Self.fields(type)
        for key in o.keys where !allowed.contains(key) {
            let hint = hints.closest(to: key, among: allowed, kind: .field)
            record.fail(key, "\(type) 记录没有这个字段。" + (hint.isEmpty ? "" : "是否是 \(hint[0])?") + "请删除或更正。")
        }
        let id = record.identifier()
        let year = record.year(rubrics: context.rubrics)
        if let year, let reason = context.closed(year) { record.fail("year", reason) }
        let date = record.date(year: year)

        let parsed: Record?
        switch type {
        case .finding: parsed = finding(&record, id: id, year: year, date: date)
        case .notice: parsed = notice(&record, id: id, year: year, date: date)
        case .retraction: parsed = retraction(&record, id: id, year: year, date: date)
        case .rectification, .recheck: parsed = followUp(&record, type: type, id: id, year: year, date: date)
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
                fields.fail(
                    "id", "\(record.year)年度已有 id 为“\(record.id)”的\(stored.kindName)记录,但内容不同(冲突)。已入账的记录不能修改:如需更正,请提交撤销(retraction)记录和新的记录;如果这是另一条记录,请换一个 id。")
            }
            return
        }
        inFile[key] = record
        if case .retraction(let r) = record { retractionsInFile[YearID(year: r.year, id: r.target), default: []].append(r) }
        if record.isFollowUp, let target = record.target { followUpsInFile[YearID(year: record.year, id: target), default: []].append(record) }
        new.append(record)
        newPositions.append(fields.position)
    }

    // MARK: - Findings

    private func finding(_ f: inout Fields, id: String?, year: Int?, date: Day?) -> Record? {
        let rubric = year.flatMap { context.rubrics[$0] }
        let unitName = f.string("unit")
        let unit = unitName.flatMap { name -> Unit? in
            if let u = context.roster[name] { return u }
            let hint = hints.units(near: name, in: context.roster)
            f.fail("unit", "单位“\(name)”不在单位名单中。" + (hint.isEmpty ? "请核对单位全称。" : "是否是:\(hint.joined(separator: "、"))?"))
            return nil
        }
        let indicatorName = f.string("indicator")
        var row: Row?
        if let indicatorName, let rubric {
            row = rowNames.row(named: indicatorName, in: rubric)
            if row == nil {
                let hint = hints.closest(to: indicatorName, among: rubric.rows.values.map(\.name), kind: .indicator)
                f.fail(
                    "indicator", "“\(indicatorName)”不是\(rubric.year)年度考核细则中的指标。" + (hint.isEmpty ? "请按细则中三级指标的名称填写。" : "是否是:\(hint.joined(separator: "、"))?"))
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
        let rectifyBy = f.deadline(after: date)
        if rectifyBy != nil, let row, clause != nil || score != nil {
            let deducts: Bool
            switch clause?.effect {
            case .deduct?, .discretionaryDeduct?: deducts = true
            default: deducts = false
            }
            if !deducts {
                f.fail("rectify_by", "只有扣分的发现问题才有整改期限;“\(row.name)”\(clause?.name.map { "(\($0))" } ?? "")是\(score != nil ? "赋分" : "加分")项,请删除 rectify_by。")
            }
        }
        guard let id, let year, let date, let unit, let row, let count else { return nil }
        if case .points = row.scoring, clause == nil { return nil }
        if case .assigned = row.scoring, score == nil { return nil }
        if clause?.isDiscretionary == true, points == nil { return nil }
        return .finding(
            Finding(
                id: id, year: year, date: date, unit: unit.name, indicator: row.name, clause: clause?.name,
                count: count, score: score, points: points, method: method, evidence: evidence, note: note,
                rectifyBy: rectifyBy))
    }

    // MARK: - Notices

    private func notice(_ f: inout Fields, id: String?, year: Int?, date: Day?) -> Record? {
        let level = f.string("level")
        if let level, !["quarterly", "monthly"].contains(level) {
            f.fail("level", "“\(level)”不是有效的通报级别;应为 quarterly(省、运城市季度检查)或 monthly(我市每月全覆盖检查)。")
        }
        let units = f.unitList("units", roster: context.roster, hints: hints, required: true)
        let title = f.optionalString("title")
        let evidence = f.optionalString("evidence")
        let rectifyBy = f.deadline(after: date)
        guard let id, let year, let date, let level, let units else { return nil }
        return .notice(Notice(id: id, year: year, date: date, level: level, units: units, title: title, evidence: evidence, rectifyBy: rectifyBy))
    }

    // MARK: - Retractions

    private func retraction(_ f: inout Fields, id: String?, year: Int?, date: Day?) -> Record? {
        let target = f.string("target")
        let reason = f.string("reason")
        if let reason, reason.allSatisfy(\.isWhitespace) { f.fail("reason", "撤销理由不能为空白。") }
        let units = f.unitList("units", roster: context.roster, hints: hints, required: false)
        let evidence = f.optionalString("evidence")
        guard let year, let target else { return nil }
        let key = YearID(year: year, id: target)
        guard let original = inFile[key] ?? context.existing(year, target) else {
            f.fail("target", "\(year)年度没有 id 为“\(target)”的记录可以撤销。请核对被撤销记录的 id 和年度(只能撤销同一年度的记录)。")
            return nil
        }
        // Earlier retractions of the same target; one with this very id is this record again (a duplicate
        // or a conflict, which `admit` decides), not an earlier withdrawal.
        let earlier = (context.retractions(year, target) + retractionsInFile[key, default: []]).filter { $0.id != id }
        switch original {
        case .retraction:
            f.fail("target", "“\(target)”本身是一条撤销记录,撤销记录不能再被撤销。如需恢复原记录,请重新提交一条新的记录。")
        case .rectification, .recheck:
            f.fail("target", "“\(target)”是一条\(original.kindName)记录,不能撤销;撤销只针对发现问题(finding)和通报(notice)。")
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
    /// The record type in words, for messages: `发现问题(finding)`.
    var kindName: String { type.nameInMessages }
}
