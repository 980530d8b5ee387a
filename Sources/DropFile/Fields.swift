import RubricEngine
import ZwgkFormats

/// Reads typed fields of one record object, recording a problem for each bad one.
struct Fields {
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
        return fits(key, s) ? s : nil
    }

    mutating func optionalString(_ key: String) -> String? {
        guard let v = object[key] else { return nil }
        guard case .string(let s) = v else {
            fail(key, "应为字符串,收到的是\(v.typeName)。")
            return nil
        }
        return fits(key, s) ? s : nil
    }

    /// Whether text `s` may be field `key`'s: within its length (``DropLimits``), and without control
    /// characters (free text may have tabs and line breaks). Records a problem when not.
    mutating func fits(_ key: String, _ s: String) -> Bool {
        let free = DropLimits.freeTextFields.contains(key)
        let limit = key == "id" ? DropLimits.idCharacters : free ? DropLimits.freeTextCharacters : DropLimits.shortCharacters
        // Characters are counted as Unicode scalars (a Chinese character is one).
        if s.utf8.count > limit, case let n = s.unicodeScalars.count, n > limit {
            fail(key, "长度为\(n)个字符,超过\(limit)个字符的上限。" + (free ? "请精简,或把详细内容放在佐证材料中。" : "请核对。"))
            return false
        }
        // Only text with a byte that can start a hidden character (see `ShownText.isHidden`) is looked at closely.
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 || $0 == 0xEF }) else { return true }
        for (i, scalar) in s.unicodeScalars.enumerated() where ShownText.isHidden(scalar) {
            if free && (scalar == "\t" || scalar == "\n" || scalar == "\r") { continue }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            fail(
                key,
                (free ? "不能包含控制字符(换行和制表符除外)" : "不能包含换行、制表符等控制字符")
                    + ",第\(i + 1)个字符是 \(code)。请删除后再提交。")
            return false
        }
        return true
    }

    mutating func identifier() -> String? {
        guard let id = string("id") else { return nil }
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

    /// An optional deadline (`rectify_by`): a date, not before `date`.
    mutating func deadline(after date: Day?) -> Day? {
        guard has("rectify_by") else { return nil }
        guard let text = string("rectify_by") else { return nil }
        guard let day = Day(text) else {
            fail("rectify_by", "“\(text)”不是有效日期;整改期限请写成 YYYY-MM-DD(如 2023-05-31),并确认该日期存在。")
            return nil
        }
        if let date, day < date {
            fail("rectify_by", "整改期限\(day)早于记录日期\(date)。")
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

    mutating func unitList(_ key: String, roster: UnitRoster, hints: Hints, required: Bool) -> [String]? {
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
        var seen: Set<String> = []
        var ok = true
        for (i, item) in items.enumerated() {
            guard case .string(let name) = item else {
                fail("\(key)[\(i)]", "应为单位名称字符串,收到的是\(item.typeName)。")
                ok = false
                continue
            }
            guard fits("\(key)[\(i)]", name) else {
                ok = false
                continue
            }
            if !seen.insert(name).inserted {
                fail("\(key)[\(i)]", "单位“\(name)”重复出现。每个单位只列一次。")
                ok = false
                continue
            }
            if roster[name] == nil {
                let hint = hints.units(near: name, in: roster)
                fail("\(key)[\(i)]", "单位“\(name)”不在单位名单中。" + (hint.isEmpty ? "请核对单位全称。" : "是否是:\(hint.joined(separator: "、"))?"))
                ok = false
            }
            names.append(name)
        }
        return ok ? names : nil
    }
}
