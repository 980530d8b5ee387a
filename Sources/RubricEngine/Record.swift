public import ZwgkFormats

/// A finding: one unit, one row, observed on a day.
public struct Finding: Sendable, Equatable {
    public var id: String
    public var year: Int
    public var date: Day
    public var unit: String
    /// The row's printed name.
    public var indicator: String
    /// The clause's printed name, where the row has several.
    public var clause: String?
    public var count: Int
    /// The assigned value, on assigned-score rows.
    public var score: Points?
    /// The decided amount, on discretionary clauses.
    public var points: Points?
    public var method: String?
    public var evidence: String?
    public var note: String?
    /// The rectification deadline (整改期限) set with the finding; nil: the configured default applies.
    public var rectifyBy: Day?

    public init(
        id: String, year: Int, date: Day, unit: String, indicator: String, clause: String? = nil, count: Int = 1,
        score: Points? = nil, points: Points? = nil, method: String? = nil, evidence: String? = nil, note: String? = nil,
        rectifyBy: Day? = nil
    ) {
        self.id = id
        self.year = year
        self.date = date
        self.unit = unit
        self.indicator = indicator
        self.clause = clause
        self.count = count
        self.score = score
        self.points = points
        self.method = method
        self.evidence = evidence
        self.note = note
        self.rectifyBy = rectifyBy
    }
}

/// A notice (通报) from an inspection, naming the units it criticises.
public struct Notice: Sendable, Equatable {
    public var id: String
    public var year: Int
    public var date: Day
    /// `quarterly` (省、运城市季度检查) or `monthly` (我市每月全覆盖检查).
    public var level: String
    public var units: [String]
    public var title: String?
    public var evidence: String?
    /// The rectification deadline for every unit named; nil: the configured default applies.
    public var rectifyBy: Day?

    /// The level in words: 上级季度检查 or 市月度检查.
    public var levelLabel: String { level == "quarterly" ? "上级季度检查" : "市月度检查" }

    public init(
        id: String, year: Int, date: Day, level: String, units: [String], title: String? = nil, evidence: String? = nil,
        rectifyBy: Day? = nil
    ) {
        self.id = id
        self.year = year
        self.date = date
        self.level = level
        self.units = units
        self.title = title
        self.evidence = evidence
        self.rectifyBy = rectifyBy
    }
}

/// A retraction (撤销): an upheld appeal or a correction withdrawing an earlier finding or notice.
public struct Retraction: Sendable, Equatable {
    public var id: String
    public var year: Int
    /// The decision date.
    public var date: Day
    /// The `id` of the finding or notice withdrawn.
    public var target: String
    public var reason: String
    /// For a notice: withdraw it for these units only.
    public var units: [String]?
    public var evidence: String?

    public init(id: String, year: Int, date: Day, target: String, reason: String, units: [String]? = nil, evidence: String? = nil) {
        self.id = id
        self.year = year
        self.date = date
        self.target = target
        self.reason = reason
        self.units = units
        self.evidence = evidence
    }
}

/// One record of a drop file, as kept in the ledger.
public enum Record: Sendable, Equatable {
    case finding(Finding)
    case notice(Notice)
    case retraction(Retraction)
    case rectification(Rectification)
    case recheck(Recheck)

    public var id: String {
        switch self {
        case .finding(let f): f.id
        case .notice(let n): n.id
        case .retraction(let r): r.id
        case .rectification(let r): r.id
        case .recheck(let r): r.id
        }
    }

    public var year: Int {
        switch self {
        case .finding(let f): f.year
        case .notice(let n): n.year
        case .retraction(let r): r.year
        case .rectification(let r): r.year
        case .recheck(let r): r.year
        }
    }

    public var date: Day {
        switch self {
        case .finding(let f): f.date
        case .notice(let n): n.date
        case .retraction(let r): r.date
        case .rectification(let r): r.date
        case .recheck(let r): r.date
        }
    }

    /// The record's kind.
    public var type: RecordType {
        switch self {
        case .finding: .finding
        case .notice: .notice
        case .retraction: .retraction
        case .rectification: .rectification
        case .recheck: .recheck
        }
    }

    public var isRetraction: Bool {
        if case .retraction = self { return true }
        return false
    }

    /// A rectification report or a re-check: tracked in the 整改台账, never scored.
    public var isFollowUp: Bool { type.isFollowUp }

    /// The id of the record it refers to: a retraction's, rectification's or re-check's `target`.
    public var target: String? {
        switch self {
        case .finding, .notice: nil
        case .retraction(let r): r.target
        case .rectification(let r): r.target
        case .recheck(let r): r.target
        }
    }

    /// The units the record names.
    public var units: [String] {
        switch self {
        case .finding(let f): [f.unit]
        case .notice(let n): n.units
        case .retraction(let r): r.units ?? []
        case .rectification(let r): [r.unit]
        case .recheck(let r): [r.unit]
        }
    }

    /// The canonical form: fixed field order, defaults written out, names as printed in the rubric.
    /// Two records are the same content exactly when their canonical forms are equal.
    public var canonical: JSONObject {
        var o = JSONObject()
        o.append("type", .string(type.rawValue))
        o.append("id", .string(id))
        o.append("year", .number(String(year)))
        o.append("date", .string(date.description))
        func optional(_ key: String, _ value: String?) { if let value { o.append(key, .string(value)) } }
        switch self {
        case .finding(let f):
            o.append("unit", .string(f.unit))
            o.append("indicator", .string(f.indicator))
            optional("clause", f.clause)
            o.append("count", .number(String(f.count)))
            if let s = f.score { o.append("score", s.json) }
            if let p = f.points { o.append("points", p.json) }
            optional("method", f.method)
            optional("evidence", f.evidence)
            optional("note", f.note)
            optional("rectify_by", f.rectifyBy?.description)
        case .notice(let n):
            o.append("level", .string(n.level))
            o.append("units", .array(n.units.map { .string($0) }))
            optional("title", n.title)
            optional("evidence", n.evidence)
            optional("rectify_by", n.rectifyBy?.description)
        case .retraction(let r):
            o.append("target", .string(r.target))
            o.append("reason", .string(r.reason))
            if let units = r.units { o.append("units", .array(units.map { .string($0) })) }
            optional("evidence", r.evidence)
        case .rectification(let r):
            o.append("target", .string(r.target))
            o.append("unit", .string(r.unit))
            o.append("measures", .string(r.measures))
            optional("evidence", r.evidence)
        case .recheck(let r):
            o.append("target", .string(r.target))
            o.append("unit", .string(r.unit))
            o.append("result", .string(r.passed ? "passed" : "failed"))
            optional("note", r.note)
            optional("rectify_by", r.rectifyBy?.description)
        }
        return o
    }

    /// The canonical form as compact JSON text, as stored in the ledger.
    public var canonicalText: String { JSONWriter.compact(.object(canonical)) }
}

/// A stored record that cannot be read back: the ledger was changed by hand or is damaged.
public struct LedgerRecordError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    /// The record's number in the ledger, where known.
    public var seq: Int64?
    public init(field: String, seq: Int64? = nil) {
        self.field = field
        self.seq = seq
    }

    public var description: String {
        "\(seq.map { "第\($0)号记录" } ?? "记录")的“\(field)”无法读取:账本被手工改动或已损坏,请从备份恢复账本后重试"
    }
}
