import RubricEngine

/// Rectification reports (整改报告) and re-checks (复查): each must name an item of the 整改台账 (a deducting
/// finding, or a notice and one unit it names) that is neither withdrawn nor closed, come in order (a re-check
/// only after a rectification, never dated before what it follows), and, like retractions, is checked against
/// the ledger and the records before it in the same file.
extension RecordChecker {
    mutating func followUp(_ f: inout Fields, type: RecordType, id: String?, year: Int?, date: Day?) -> Record? {
        let isRecheck = type == .recheck
        let target = f.string("target")
        let named = f.optionalString("unit")
        var measures: String?, evidence: String?, passed: Bool?, note: String?, rectifyBy: Day?
        if isRecheck {
            switch f.string("result") {
            case "passed"?: passed = true
            case "failed"?: passed = false
            case let other?: f.fail("result", "“\(other)”不是有效的复查结果;应为 passed(通过,销号)或 failed(未通过)。")
            case nil: break
            }
            note = f.optionalString("note")
            rectifyBy = f.deadline(after: date)
            if rectifyBy != nil && passed == true {
                f.fail("rectify_by", "复查通过即销号,不再设整改期限;只有未通过(failed)时才能填写新的整改期限 rectify_by。")
            }
        } else {
            measures = f.string("measures")
            if let m = measures, m.allSatisfy(\.isWhitespace) { f.fail("measures", "整改措施不能为空白。") }
            evidence = f.optionalString("evidence")
        }
        guard let year, let target else { return nil }
        let what = isRecheck ? "复查" : "整改"

        guard let original = inFile[YearID(year: year, id: target)] ?? context.existing(year, target) else {
            f.fail("target", "\(year)年度没有 id 为“\(target)”的记录可以\(what)。请核对被\(what)的发现问题或通报的 id 和年度(只能针对同一年度的记录)。")
            return nil
        }
        let unit: String?
        let kind: RectificationItem.Kind
        switch original {
        case .finding(let finding):
            kind = .finding
            if let rubric = context.rubrics[year], !rubric.deducts(finding) {
                f.fail("target", "“\(target)”是\(finding.score != nil ? "赋分" : "加分")记录,不扣分,没有需要\(what)的问题。")
                unit = nil
            } else if let named, named != finding.unit {
                f.fail("unit", "发现问题“\(target)”的单位是“\(finding.unit)”,不是“\(named)”。请核对单位,或删除 unit(默认即该记录的单位)。")
                unit = nil
            } else {
                unit = finding.unit
            }
        case .notice(let notice):
            kind = .notice
            if let named, notice.units.contains(named) {
                unit = named
            } else {
                let listed = notice.units.map { "“\($0)”" }.joined(separator: "、")
                f.fail(
                    "unit",
                    named.map { "通报“\(target)”没有点名“\($0)”;它点名的单位是:\(listed)。" }
                        ?? "\(what)通报时必须写明 unit(\(listed)之一):每个被点名单位的整改分别登记。")
                unit = nil
            }
        default:
            f.fail("target", "“\(target)”是一条\(original.kindName)记录;整改和复查只能针对发现问题(finding)或通报(notice)。")
            return nil
        }
        guard let unit else { return nil }

        // The same id again is a duplicate or a conflict, which `admit` decides: it is not judged again against
        // what came after it.
        let known = inFile[YearID(year: year, id: id ?? "")] ?? id.flatMap { context.existing(year, $0) }
        if known == nil {
            let withdrawn = context.retractions(year, target) + retractionsInFile[YearID(year: year, id: target), default: []]
            if let r = withdrawn.first(where: { $0.units?.contains(unit) ?? true }) {
                f.fail("target", "“\(target)”\(kind == .notice ? "对“\(unit)”" : "")已被撤销(撤销记录“\(r.id)”),无需再\(what)。")
                return nil
            }
            var item = RectificationItem(target: target, unit: unit, kind: kind, indicator: "", date: original.date)
            item.followUps = (context.followUps(year, target) + followUpsInFile[YearID(year: year, id: target), default: []])
                .filter { $0.units == [unit] }.compactMap(FollowUp.init(record:))
            let progress = item.progress
            if progress.closed {
                f.fail("target", "“\(target)”\(kind == .notice ? "对“\(unit)”" : "")已复查通过并销号,不能再提交整改报告或复查记录。")
            } else if isRecheck && !progress.awaitingRecheck {
                f.fail(
                    "target",
                    "“\(target)”\(kind == .notice ? "对“\(unit)”" : "")自\(item.followUps.isEmpty ? "立项" : "上次复查")以来没有新的整改报告,无法复查。请先提交整改报告(rectification)。")
            }
            if let date, date < original.date {
                f.fail("date", "日期\(date)早于被\(what)记录“\(target)”的日期\(original.date)。")
            } else if let date, date < progress.lastDate {
                f.fail("date", "日期\(date)早于该事项上一条整改或复查记录的日期\(progress.lastDate);请按时间顺序提交。")
            }
        }
        guard let id, let date, f.problems.isEmpty else { return nil }
        if isRecheck {
            guard let passed else { return nil }
            return .recheck(Recheck(id: id, year: year, date: date, target: target, unit: unit, passed: passed, note: note, rectifyBy: rectifyBy))
        }
        guard let measures else { return nil }
        return .rectification(Rectification(id: id, year: year, date: date, target: target, unit: unit, measures: measures, evidence: evidence))
    }
}
