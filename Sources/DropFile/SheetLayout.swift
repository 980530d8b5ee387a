import RubricEngine
import Spreadsheet

/// What a spreadsheet row is: the record type a sheet's name (or a CSV's 类型 column) gives. The kinds are
/// `RecordType`'s own, in its order (the order rows are checked); this extension says how each is laid out.
typealias SheetKind = RecordType

extension RecordType {
    /// The sheet name (and 类型 value) of each kind.
    var sheetName: String {
        switch self {
        case .finding: "发现问题"
        case .notice: "通报"
        case .retraction: "撤销"
        case .rectification: "整改"
        case .recheck: "复查"
        }
    }

    /// The header of the 对象 (`target`) column on a sheet of this kind, if it has one.
    var targetHeader: String? {
        switch self {
        case .finding, .notice: nil
        case .retraction: "撤销对象"
        case .rectification: "整改对象"
        case .recheck: "复查对象"
        }
    }

    /// Whether 单位 holds several units (`units`) rather than one (`unit`).
    var severalUnits: Bool { self == .notice || self == .retraction }

    /// Every sheet name, for messages: “发现问题”“通报”“撤销”“整改”或“复查”.
    static let namesInWords: String = {
        let quoted = allCases.map { "“\($0.sheetName)”" }
        return quoted.dropLast().joined() + "或" + quoted.last!
    }()

    /// The kind a sheet name or 类型 value names: the Chinese name or the English type.
    init?(name: String) {
        let trimmed = name.trimmingWhitespace()
        guard let kind = SheetKind.allCases.first(where: { $0.sheetName == trimmed || $0.rawValue == trimmed.lowercased() }) else { return nil }
        self = kind
    }

    /// The columns a sheet of this kind may have.
    var fields: [SheetField] {
        switch self {
        case .finding: [.id, .year, .date, .unit, .indicator, .clause, .count, .score, .points, .method, .evidence, .note, .rectifyBy]
        case .notice: [.id, .year, .date, .level, .unit, .title, .evidence, .rectifyBy]
        case .retraction: [.id, .year, .date, .target, .reason, .unit, .evidence]
        case .rectification: [.id, .year, .date, .target, .unit, .measures, .evidence]
        case .recheck: [.id, .year, .date, .target, .unit, .result, .rectifyBy, .note]
        }
    }

    /// The columns a sheet of this kind must have.
    var required: [SheetField] {
        switch self {
        case .finding: [.id, .date, .unit, .indicator]
        case .notice: [.id, .date, .level, .unit]
        case .retraction: [.id, .date, .target, .reason]
        case .rectification: [.id, .date, .target, .measures]
        case .recheck: [.id, .date, .target, .result]
        }
    }
}

/// A column of a record sheet: its Chinese header, and the record field it fills.
enum SheetField: String, CaseIterable {
    case type, id, year, date, unit, indicator, clause, count, score, points, level, target, reason, method, evidence, note, title
    case rectifyBy = "rectify_by", measures, result

    /// The header in the template (and docs/drop-files.md); the target's is the kind's own (``header(on:)``).
    private var fixedHeader: String? {
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
        case .target: nil
        case .reason: "理由"
        case .method: "方式"
        case .evidence: "佐证"
        case .note: "备注"
        case .title: "标题"
        case .rectifyBy: "整改期限"
        case .measures: "整改措施"
        case .result: "复查结果"
        }
    }

    /// The Chinese headers naming this column on some sheet: the target has one per kind.
    var headers: [String] { fixedHeader.map { [$0] } ?? SheetKind.allCases.compactMap(\.targetHeader) }

    /// The Chinese header of this column on a sheet of `kind`.
    func header(on kind: SheetKind) -> String { fixedHeader ?? kind.targetHeader ?? rawValue }

    /// Whether `text` (a header that named this field) may name it on a sheet of `kind`: each sheet takes only
    /// its own target header (or `target`).
    func accepts(_ text: String, on kind: SheetKind) -> Bool {
        self != .target || text.lowercased() == rawValue || text == kind.targetHeader
    }

    /// The values of a column of fixed choices: the word in the sheet, its JSON value, and what it means.
    var choices: [(word: String, value: String, meaning: String)] {
        switch self {
        case .level: [("季度", "quarterly", "省、运城市季度检查"), ("月度", "monthly", "我市每月全覆盖检查")]
        case .result: [("通过", "passed", "整改到位,销号"), ("未通过", "failed", "需继续整改")]
        default: []
        }
    }

    /// The field a header names: the Chinese header or the English field name (`units` too, for 单位).
    init?(header text: String) {
        let h = text.trimmingWhitespace()
        if let f = SheetField.allCases.first(where: { $0.headers.contains(h) || $0.rawValue == h.lowercased() }) {
            self = f
        } else if h.lowercased() == "units" {
            self = .unit
        } else {
            return nil
        }
    }

    /// The JSON key the column fills for a record of `kind`: 单位 is `units` on notices and retractions.
    func key(for kind: SheetKind) -> String {
        self == .unit && kind.severalUnits ? "units" : rawValue
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
