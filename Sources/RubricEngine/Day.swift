/// A calendar day, as records write it (`YYYY-MM-DD`).
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// year << 9 | month << 5 | day: four bytes per day held (a ledger holds one per record), ordered as days are.
    private let packed: UInt32

    public var year: Int { Int(packed >> 9) }
    public var month: Int { Int(packed >> 5 & 0xF) }
    public var day: Int { Int(packed & 0x1F) }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Day.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        packed = UInt32(year) << 9 | UInt32(month) << 5 | UInt32(day)
    }

    /// Parses exactly `YYYY-MM-DD`; nil for any other shape or an impossible date.
    public init?(_ text: String) {
        var text = text
        guard let day = text.withUTF8({ Day(utf8: $0) }) else { return nil }
        self = day
    }

    /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes.
    public init?(utf8 u: UnsafeBufferPointer<UInt8>) {
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for b in u[r] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { return nil }
                v = v * 10 + Int(b - UInt8(ascii: "0"))
            }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var quarter: Int { (month - 1) / 3 + 1 }

    public var description: String {
        let (y, m, d) = (year, month, day)
        // Written in place: reports print a day for every record, and an array per day would be allocated.
        return String(unsafeUninitializedCapacity: 10) { b in
            let digit = { (v: Int) in UInt8(ascii: "0") + UInt8(v % 10) }
            b[0] = digit(y / 1000)
            b[1] = digit(y / 100)
            b[2] = digit(y / 10)
            b[3] = digit(y)
            b[4] = UInt8(ascii: "-")
            b[5] = digit(m / 10)
            b[6] = digit(m)
            b[7] = UInt8(ascii: "-")
            b[8] = digit(d / 10)
            b[9] = digit(d)
            return 10
        }
    }

    public static func < (a: Day, b: Day) -> Bool { a.packed < b.packed }

    /// Days since 1970-01-01 (negative before it), by the proleptic Gregorian calendar.
    public var ordinal: Int {
        // Howard Hinnant's days_from_civil: years counted from March, so the leap day ends a year.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day `ordinal` days after 1970-01-01; nil outside years 1…9999.
    public init?(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// The day `days` calendar days later (earlier when negative), held within years 1…9999.
    public func adding(days: Int) -> Day {
        Day(ordinal: ordinal + days) ?? (days < 0 ? Day(year: 1, month: 1, day: 1)! : Day(year: 9999, month: 12, day: 31)!)
    }

    /// Calendar days from `earlier` to this day (negative when `earlier` is later).
    public func days(since earlier: Day) -> Int { ordinal - earlier.ordinal }
}

/// A reporting period of one assessment year: a quarter or the whole year.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    public enum Span: Hashable, Sendable {
        case quarter(Int)
        case annual
    }

    public var year: Int
    public var span: Span

    public init(year: Int, span: Span) {
        self.year = year
        self.span = span
    }

    /// Parses `2023-Q1` … `2023-Q4` and `2023-annual`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), y >= 1 else { return nil }
        switch parts[1] {
        case "Q1", "q1": span = .quarter(1)
        case "Q2", "q2": span = .quarter(2)
        case "Q3", "q3": span = .quarter(3)
        case "Q4", "q4": span = .quarter(4)
        case "annual": span = .annual
        default: return nil
        }
        year = y
    }

    /// The folder name and JSON `period` value: `Q1`…`Q4` or `annual`.
    public var name: String {
        switch span {
        case .quarter(let q): "Q\(q)"
        case .annual: "annual"
        }
    }

    /// The Chinese label for reports: 第一季度 … 全年.
    public var label: String {
        switch span {
        case .quarter(let q): "第\(["一", "二", "三", "四"][q - 1])季度"
        case .annual: "全年"
        }
    }

    /// The last day whose records the period counts.
    public var cutoff: Day {
        switch span {
        case .quarter(let q): Day(year: year, month: q * 3, day: q == 1 || q == 4 ? 31 : 30)!
        case .annual: Day(year: year, month: 12, day: 31)!
        }
    }

    public var description: String { "\(year)-\(name)" }
}
