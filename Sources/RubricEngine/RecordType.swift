/// The kinds of record, and the one place their names are written: the raw value is the record's `type` in
/// JSON drop files, in its canonical text and in the ledger's `type` column. The cases are in the order a
/// workbook's sheets are checked (so a retraction or follow-up may name a record of the same file).
///
/// Adding a kind is a case here; the compiler then finds every exhaustive `switch` over `RecordType` and
/// `Record` that must handle it (docs/architecture.md lists them).
public enum RecordType: String, CaseIterable, Sendable, Comparable {
    case finding
    case notice
    case retraction
    case rectification
    case recheck

    /// What the kind is called in messages and reports.
    public var chineseName: String {
        switch self {
        case .finding: "发现问题"
        case .notice: "通报"
        case .retraction: "撤销"
        case .rectification: "整改报告"
        case .recheck: "复查"
        }
    }

    /// `发现问题(finding)`: the kind in messages, with the word a JSON file uses.
    public var nameInMessages: String { "\(chineseName)(\(rawValue))" }

    /// A rectification report or a re-check: tracked in the 整改台账, never scored.
    public var isFollowUp: Bool {
        switch self {
        case .rectification, .recheck: true
        case .finding, .notice, .retraction: false
        }
    }

    /// The kinds as a SQL list for `type IN (…)`: `'rectification', 'recheck'`. The names are this enum's own
    /// literals, never input.
    public static func sqlList(_ types: some Sequence<RecordType>) -> String {
        types.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }

    public static func < (a: RecordType, b: RecordType) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}
