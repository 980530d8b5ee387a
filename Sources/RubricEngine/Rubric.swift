import ZwgkFormats

/// One year's published assessment rubric: its rows, and which rows each class of unit has.
public struct Rubric: Sendable {
    public var year: Int
    /// A short version tag written into every snapshot.
    public var version: String
    public var title: String
    /// What is assessed, for report headings (`2023年度永济市政务公开工作考核`).
    public var subject: String
    public var classes: [UnitClass]
    /// Every row, keyed by id.
    public private(set) var rows: [String: Row]
    /// Row names and ids, normalised, to row id.
    private var lookup: [String: String]
    /// Row id to the row's name, normalised.
    private var normalisedNames: [String: String]

    /// The rows a class lists, in printed order.
    public func rows(of unitClass: String) -> [Row] {
        classes.first { $0.name == unitClass }?.rowIDs.compactMap { rows[$0] } ?? []
    }

    public func unitClass(_ name: String) -> UnitClass? { classes.first { $0.name == name } }

    /// Finds a row by its printed name (whitespace, quotation marks and full-width brackets ignored) or id.
    public func row(named text: String) -> Row? {
        lookup[Rubric.normalise(text)].flatMap { rows[$0] }
    }

    /// A row's printed name in the form names are compared in (as units files list assigned rows).
    public func normalisedName(of row: Row) -> String { normalisedNames[row.id] ?? Rubric.normalise(row.name) }

    /// The form names are compared in: no whitespace, no quotation marks, ASCII brackets.
    public static func normalise(_ text: String) -> String {
        var out = ""
        for c in text {
            if c.isWhitespace || "\"'“”‘’「」『』".contains(c) { continue }
            switch c {
            case "\u{FF08}": out.append("(")
            case "\u{FF09}": out.append(")")
            default: out.append(c)
            }
        }
        return out
    }

    init(year: Int, version: String, title: String, subject: String, classes: [UnitClass], rows: [Row]) {
        self.year = year
        self.version = version
        self.title = title
        self.subject = subject
        self.classes = classes
        self.rows = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        var lookup: [String: String] = [:]
        for row in rows {
            for key in [row.id, row.name] + row.aliases { lookup[Rubric.normalise(key)] = row.id }
        }
        self.lookup = lookup
        normalisedNames = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, Rubric.normalise($0.name)) })
    }
}

/// A class of assessed units (A类, B类) with its rows in printed order.
public struct UnitClass: Sendable, Equatable {
    public var name: String
    public var title: String
    public var rowIDs: [String]
    /// Printed group totals (一级指标), for reports.
    public var groups: [(name: String, total: Points?)]

    public static func == (a: UnitClass, b: UnitClass) -> Bool {
        a.name == b.name && a.title == b.title && a.rowIDs == b.rowIDs
            && a.groups.map(\.name) == b.groups.map(\.name) && a.groups.map(\.total) == b.groups.map(\.total)
    }
}

/// A row of the rubric (三级指标) and how it is scored.
public struct Row: Sendable, Equatable, Identifiable {
    public enum Applies: String, Sendable {
        /// Every unit of the classes that list the row.
        case all
        /// Only units whose units-file entry assigns it.
        case assigned
    }

    public enum Scoring: Sendable, Equatable {
        /// Base points, less capped deductions, plus capped bonuses.
        case points(PointsRule)
        /// One value in a range, given by the assessors; the latest finding wins.
        case assigned(ClosedRange<Points>)
    }

    public var id: String
    public var name: String
    /// The 一级指标 the row belongs to; nil for 综合加分项 and 重大扣分项.
    public var group: String?
    public var applies: Applies
    public var scoring: Scoring
    /// A notice level that feeds this row (`quarterly`, `monthly`).
    public var noticeLevel: String?
    /// The rule as printed, for reports.
    public var text: String
    public var aliases: [String]

    public var clauses: [Clause] {
        if case .points(let rule) = scoring { return rule.clauses }
        return []
    }

    /// Finds a clause by name (or the only, unnamed clause when `name` is nil).
    public func clause(named name: String?) -> Clause? {
        guard let name else { return clauses.count == 1 ? clauses[0] : nil }
        let key = Row.normaliseClause(name)
        return clauses.first { $0.name.map(Row.normaliseClause) == key }
    }

    /// Clause names compare without whitespace or brackets: `(一)`, `(一)` and `一` are one clause.
    public static func normaliseClause(_ s: String) -> String {
        String(s.filter { !($0.isWhitespace || "()\u{FF08}\u{FF09}".contains($0)) })
    }
}

/// How a points row is scored.
public struct PointsRule: Sendable, Equatable {
    public enum Combine: String, Sendable {
        /// Deductions of all clauses add up (per-occurrence, single, set).
        case sum
        /// Mutually exclusive levels: the worst one reported applies (tiered).
        case worst
    }

    public var base: Points
    public var clauses: [Clause]
    public var combine: Combine
    /// Most that deductions can take from the row over the year; nil when none is printed.
    public var deductionCap: Points?
    /// Most that bonuses can add over the year; nil when none is printed.
    public var bonusCap: Points?
}

/// One way a row gains or loses points.
public struct Clause: Sendable, Equatable {
    public enum Effect: Sendable, Equatable {
        /// Deducts `amount` per occurrence, or once however often it is found.
        case deduct(Points, once: Bool)
        /// Adds `amount` per occurrence.
        case bonus(Points)
        /// An amount decided case by case and given as `points`, deducted.
        case discretionaryDeduct
        /// An amount decided case by case and given as `points`, added.
        case discretionaryBonus
    }

    /// nil on a row with a single clause.
    public var name: String?
    public var effect: Effect

    public var isDiscretionary: Bool {
        switch effect {
        case .discretionaryBonus, .discretionaryDeduct: true
        default: false
        }
    }
}
