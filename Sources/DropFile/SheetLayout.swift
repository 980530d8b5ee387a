import Spreadsheet

/// What a spreadsheet row is: the record type a sheet's name (or a CSV's 类型 column) gives.
enum SheetKind: Int, CaseIterable, Comparable {
    case finding
    case notice
    case retraction

    /// The sheet name (and 类型 value) of each kind.
    var sheetName: String {
        switch self {
        case .finding: "发现问题"
        case .notice: "通报"
        case .retraction: "撤销"
        }
    }

    /// The record's `type` in JSON.
    var type: String {
        switch self {
        case .finding: "finding"
        case .notice: "notice"
        case .retraction: "retraction"
        }
    }

    /// The kind a sheet name or 类型 value names: the Chinese name or the English type.
    init?(name: String) {
        let trimmed = name.trimmingWhitespace()
        guard let kind = SheetKind.allCases.first(where: { $0.sheetName == trimmed || $0.type == trimmed.lowercased() }) else { return nil }
        self = kind
    }

    /// The columns a sheet of this kind may have.
    var fields: [SheetField] {
        switch self {
        case .finding: [.id, .year, .date, .unit, .indicator, .clause, .count, .score, .points, .method, .evidence, .note]
        case .notice: [.id, .year, .date, .level, .unit, .title, .evidence]
        case .retraction: [.id, .year, .date, .target, .reason, .unit, .evidence]
        }
    }

    /// The columns a sheet of this kind must have.
    var required: [SheetField] {
        switch self {
        case .finding: [.id, .date, .unit, .indicator]
        case .notice: [.id, .date, .level, .unit]
        case .retraction: [.id, .date, .target, .reason]
        }
    }

    static func < (a: SheetKind, b: SheetKind) -> Bool { a.rawValue < b.rawValue }
}

/// A column of a record sheet: its Chinese header, and the record field it fills.
enum SheetField: String, CaseIterable {
    case type, id, year, date, unit, indicator, clause, count, score, points, level, target, reason, method, evidence, note, title

    /// The header in the template (and interfaces.md).
    var header: String {
        switch self {
        case .type: "类型"
        case .id: "编号"
        case .year: "年度"
        case .date: "日期"
        case .unit: "单位"
        case .indicator: "指标"
        case .clause: "条款"
        case .count: "次数"
        case .score: "赋分"
        case .points: "分值"
        case .level: "级别"
        case .target: "撤销对象"
        case .reason: "理由"
        case .method: "方式"
        case .evidence: "佐证"
        case .note: "备注"
        case .title: "标题"
        }
    }

    /// The field a header names: the Chinese header or the English field name (`units` too, for 单位).
    init?(header text: String) {
        let h = text.trimmingWhitespace()
        if let f = SheetField.allCases.first(where: { $0.header == h || $0.rawValue == h.lowercased() }) {
            self = f
        } else if h.lowercased() == "units" {
            self = .unit
        } else {
            return nil
        }
    }

    /// The JSON key the column fills for a record of `kind`: 单位 is `unit` on a finding, `units` otherwise.
    func key(for kind: SheetKind) -> String {
        self == .unit && kind != .finding ? "units" : rawValue
    }

    /// The column a checker problem about `key` (`units[2]` included) belongs to.
    init?(key: String) {
        let base = key.prefix { $0 != "[" }
        if base == "units" { self = .unit } else if let f = SheetField(rawValue: String(base)) { self = f } else { return nil }
    }
}

extension String {
    /// Without leading and trailing whitespace and line breaks (full-width spaces included).
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
