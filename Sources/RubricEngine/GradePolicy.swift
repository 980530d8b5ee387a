/// A published grade (等次). Bands are configured by name; 不合格 is what falls below the lowest band.
public enum Grade: String, Sendable, CaseIterable, Comparable {
    case excellent = "优秀"
    case good = "良好"
    case pass = "合格"
    case fail = "不合格"

    /// The grades a cut-off may be configured for, highest first.
    public static let bands: [Grade] = [.excellent, .good, .pass]

    /// Higher grades compare greater.
    public static func < (a: Grade, b: Grade) -> Bool {
        allCases.firstIndex(of: a)! > allCases.firstIndex(of: b)!
    }
}

/// A share between 0 and 1, kept exact as a decimal fraction (`0.3` is 3/10): the cap on the top band
/// must never be off by one through binary rounding.
public struct ExactShare: Sendable, Equatable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    /// Reads a decimal literal (`0.3`, `1`, `0.125`), at most nine decimals; nil for anything else.
    public init?(literal: String) {
        let parts = literal.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 9 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let whole = Int64(parts[0])
        else { return nil }
        var denominator: Int64 = 1
        var numerator = whole
        if parts.count == 2 {
            for d in parts[1] {
                numerator = numerator * 10 + Int64(d.wholeNumberValue!)
                denominator *= 10
            }
        }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Whether it lies within 0…1.
    public var isFraction: Bool { numerator <= denominator }

    /// ⌊share × n⌋, exactly.
    public func floorOf(_ n: Int) -> Int { Int(numerator * Int64(n) / denominator) }

    public var description: String {
        guard denominator > 1 else { return String(numerator) }
        let digits = String(denominator).count - 1
        let fraction = String(numerator % denominator)
        return "\(numerator / denominator)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

/// The grading rules for one class: cut-offs, the cap on the top band and the rows that rule out a pass.
public struct GradeBands: Sendable, Equatable {
    /// Configured bands with their cut-offs on the total ("at or above"), highest first.
    public var cutoffs: [(grade: Grade, cutoff: Points)]
    /// At most ⌊share × units in the class⌋ units get the top band; nil: no cap.
    public var excellentShare: ExactShare?
    /// Row names (as configured) whose counted deduction makes a unit 不合格.
    public var veto: [String]

    public init(cutoffs: [(grade: Grade, cutoff: Points)], excellentShare: ExactShare? = nil, veto: [String] = []) {
        self.cutoffs = cutoffs.sorted { $0.grade > $1.grade }
        self.excellentShare = excellentShare
        self.veto = veto
    }

    /// Whether the cut-offs fall strictly as the bands do (优秀 above 良好 above 合格).
    public var isOrdered: Bool { zip(cutoffs, cutoffs.dropFirst()).allSatisfy { $0.cutoff > $1.cutoff } }

    /// The highest band a total reaches, skipping bands above `below` when given; 不合格 when none.
    public func band(for total: Points, below: Grade? = nil) -> Grade {
        cutoffs.first { (below == nil || $0.grade < below!) && total >= $0.cutoff }?.grade ?? .fail
    }

    public static func == (a: GradeBands, b: GradeBands) -> Bool {
        a.cutoffs.map(\.grade) == b.cutoffs.map(\.grade) && a.cutoffs.map(\.cutoff) == b.cutoffs.map(\.cutoff)
            && a.excellentShare == b.excellentShare && a.veto == b.veto
    }
}

/// `[grades]`: the default bands, and per-class overrides already merged over them.
public struct GradePolicy: Sendable, Equatable {
    public var defaults: GradeBands
    /// Class name to its merged bands; classes not listed use ``defaults``.
    public var classes: [String: GradeBands]

    public init(defaults: GradeBands, classes: [String: GradeBands] = [:]) {
        self.defaults = defaults
        self.classes = classes
    }

    /// The bands that grade `unitClass`.
    public func bands(for unitClass: String) -> GradeBands { classes[unitClass] ?? defaults }
}
