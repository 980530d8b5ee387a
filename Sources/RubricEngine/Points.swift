public import ZwgkFormats

/// An exact amount of points, in hundredths. The rubric's amounts are whole,
/// half or quarter points, and every total stays exact to the hundredth.
public struct Points: Hashable, Comparable, Sendable, CustomStringConvertible, AdditiveArithmetic {
    public var hundredths: Int64

    public static let zero = Points(hundredths: 0)
    /// The largest magnitude read from a number; the validator bounds amounts far lower (scores by their
    /// range, discretionary points by 100, counts by 10,000), so that no total can overflow.
    public static let limit = Points(hundredths: 100_000_000_00)

    public init(hundredths: Int64) { self.hundredths = hundredths }
    public init(_ whole: Int) { self.hundredths = Int64(whole) * 100 }

    /// Reads a JSON or TOML number literal exactly; nil when it is not a number,
    /// has more than two decimals, or exceeds ``limit``.
    public init?(exactly literal: String) {
        var s = Substring(literal)
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            // Compared, never negated: `abs(Int.min)` traps.
            guard let x = Int(s[s.index(after: e)...]), x > -40, x < 40 else { return nil }
            exponent = x
            s = s[..<e]
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        var digits = Array(parts[0]) + (parts.count == 2 ? Array(parts[1]) : [])
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        // value = digits × 10^(exponent − fraction digits); bring it to hundredths.
        var shift = exponent - (parts.count == 2 ? parts[1].count : 0) + 2
        while shift < 0 {
            guard digits.last == "0" else { return nil }
            digits.removeLast()
            shift += 1
            if digits.isEmpty { digits = ["0"] }
        }
        let significant = digits.drop { $0 == "0" }
        guard significant.count + shift <= 15 else { return nil }
        var value: Int64 = 0
        for d in significant { value = value * 10 + Int64(d.wholeNumberValue!) }
        for _ in 0..<shift { value *= 10 }
        let p = Points(hundredths: negative ? -value : value)
        guard abs(p.hundredths) <= Points.limit.hundredths else { return nil }
        self = p
    }

    /// The shortest exact decimal: `95.5`, `4`, `-0.25`.
    public var description: String {
        let sign = hundredths < 0 ? "-" : ""
        let m = hundredths.magnitude
        let whole = m / 100
        let frac = m % 100
        if frac == 0 { return "\(sign)\(whole)" }
        if frac % 10 == 0 { return "\(sign)\(whole).\(frac / 10)" }
        return "\(sign)\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }

    public var json: JSONValue { .number(description) }

    public static func < (a: Points, b: Points) -> Bool { a.hundredths < b.hundredths }
    public static func + (a: Points, b: Points) -> Points { Points(hundredths: a.hundredths + b.hundredths) }
    public static func - (a: Points, b: Points) -> Points { Points(hundredths: a.hundredths - b.hundredths) }
    public static func * (a: Points, n: Int) -> Points { Points(hundredths: a.hundredths * Int64(n)) }
    public static prefix func - (a: Points) -> Points { Points(hundredths: -a.hundredths) }
}

extension Sequence where Element == Points {
    public func sum() -> Points { reduce(.zero, +) }
}
