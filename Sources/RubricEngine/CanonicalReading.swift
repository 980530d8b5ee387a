import ZwgkFormats

/// Reading records back from their canonical text, straight from its bytes: a ledger holds hundreds of
/// thousands of records, and a general JSON tree for each would cost more than scoring them all.
extension Record {
    /// Reads a record from the UTF-8 of its canonical form (``canonicalText``). Repeated names are
    /// shared through `names`. Throws on anything a ledger should never hold, naming the field.
    public init(canonicalUTF8 bytes: UnsafeBufferPointer<UInt8>, names: NameTable? = nil) throws(LedgerRecordError) {
        var r = CanonicalScanner(bytes: bytes, names: names)
        var type: String?, id: String?, year: Int?, date: Day?, unit: String?, indicator: String?, clause: String?
        var count: Int?, score: Points?, points: Points?, method: String?, evidence: String?, note: String?
        var level: String?, units: [String]?, title: String?, target: String?, reason: String?
        var rectifyBy: Day?, measures: String?, result: String?

        try r.expect(UInt8(ascii: "{"), field: "body")
        var seen: UInt32 = 0  // one bit a field
        var first = true
        while try !r.take(UInt8(ascii: "}"), field: "body") {
            if !first { try r.expect(UInt8(ascii: ","), field: "body") }
            first = false
            let key = try r.stringBytes(field: "body")
            try r.expect(UInt8(ascii: ":"), field: "body")
            guard let field = CanonicalField(UnsafeBufferPointer(rebasing: bytes[key.range])) else {
                throw LedgerRecordError(field: r.text(key))
            }
            guard seen & 1 << field.rawValue == 0 else { throw LedgerRecordError(field: r.text(key)) }
            seen |= 1 << field.rawValue
            switch field {
            case .type: type = try r.string(field: "type")
            case .id: id = try r.string(field: "id")
            case .year: year = try r.integer(field: "year")
            case .date: date = try r.day(field: "date")
            case .rectifyBy: rectifyBy = try r.day(field: "rectify_by")
            case .measures: measures = try r.string(field: "measures")
            case .result: result = try r.string(field: "result", shared: true)
            case .unit: unit = try r.string(field: "unit", shared: true)
            case .indicator: indicator = try r.string(field: "indicator", shared: true)
            case .clause: clause = try r.string(field: "clause", shared: true)
            case .count: count = try r.integer(field: "count")
            case .score: score = try r.points(field: "score")
            case .points: points = try r.points(field: "points")
            case .method: method = try r.string(field: "method", shared: true)
            case .evidence: evidence = try r.string(field: "evidence")
            case .note: note = try r.string(field: "note")
            case .level: level = try r.string(field: "level", shared: true)
            case .units: units = try r.strings(field: "units")
            case .title: title = try r.string(field: "title", shared: true)
            case .target: target = try r.string(field: "target")
            case .reason: reason = try r.string(field: "reason")
            }
        }
        guard r.atEnd else { throw LedgerRecordError(field: "body") }

        func required<T>(_ value: T?, _ field: String) throws(LedgerRecordError) -> T {
            guard let value else { throw LedgerRecordError(field: field) }
            return value
        }
        let theID = try required(id, "id"), theYear = try required(year, "year"), theDate = try required(date, "date")
        switch try required(type.flatMap(RecordType.init(rawValue:)), "type") {
        case .finding:
            self = .finding(
                Finding(
                    id: theID, year: theYear, date: theDate, unit: try required(unit, "unit"),
                    indicator: try required(indicator, "indicator"), clause: clause,
                    count: try required(count, "count"), score: score, points: points, method: method,
                    evidence: evidence, note: note, rectifyBy: rectifyBy))
        case .notice:
            self = .notice(
                Notice(
                    id: theID, year: theYear, date: theDate, level: try required(level, "level"),
                    units: try required(units, "units"), title: title, evidence: evidence, rectifyBy: rectifyBy))
        case .retraction:
            self = .retraction(
                Retraction(
                    id: theID, year: theYear, date: theDate, target: try required(target, "target"),
                    reason: try required(reason, "reason"), units: units, evidence: evidence))
        case .rectification:
            self = .rectification(
                Rectification(
                    id: theID, year: theYear, date: theDate, target: try required(target, "target"),
                    unit: try required(unit, "unit"), measures: try required(measures, "measures"),
                    evidence: evidence))
        case .recheck:
            let passed: Bool
            switch try required(result, "result") {
            case "passed": passed = true
            case "failed": passed = false
            default: throw LedgerRecordError(field: "result")
            }
            self = .recheck(
                Recheck(
                    id: theID, year: theYear, date: theDate, target: try required(target, "target"),
                    unit: try required(unit, "unit"), passed: passed, note: note, rectifyBy: rectifyBy))
        }
    }
}

/// The fields a canonical record can have, recognised from their bytes.
private enum CanonicalField: Int, CaseIterable {
    case type, id, year, date, unit, indicator, clause, count, score, points, method, evidence, note
    case level, units, title, target, reason, rectifyBy, measures, result

    var key: StaticString {
        switch self {
        case .type: "type"
        case .id: "id"
        case .year: "year"
        case .date: "date"
        case .unit: "unit"
        case .indicator: "indicator"
        case .clause: "clause"
        case .count: "count"
        case .score: "score"
        case .points: "points"
        case .method: "method"
        case .evidence: "evidence"
        case .note: "note"
        case .level: "level"
        case .units: "units"
        case .title: "title"
        case .target: "target"
        case .reason: "reason"
        case .rectifyBy: "rectify_by"
        case .measures: "measures"
        case .result: "result"
        }
    }

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        for field in CanonicalField.allCases where field.key.utf8CodeUnitCount == bytes.count {
            if sameBytes(bytes, UnsafeBufferPointer(start: field.key.utf8Start, count: bytes.count)) {
                self = field
                return
            }
        }
        return nil
    }
}

/// Names read once and shared by every record that repeats them (units, rows, methods), so that a large
/// ledger in memory holds one copy of each. Used from one thread at a time.
public final class NameTable: @unchecked Sendable {
    private var table: [UInt64: [String]] = [:]

    public init() {}

    func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Up to 15 bytes a string is stored inline: nothing to share.
        if bytes.count <= 15 { return String(decoding: bytes, as: UTF8.self) }
        let hash = fnv1a(bytes)
        if let known = table[hash]?.first(where: { s in
            s.utf8.withContiguousStorageIfAvailable { sameBytes($0, bytes) } ?? s.utf8.elementsEqual(bytes)
        }) {
            return known
        }
        let s = String(decoding: bytes, as: UTF8.self)
        table[hash, default: []].append(s)
        return s
    }
}

/// A cursor over canonical JSON: one flat object of strings, integers, decimals and arrays of strings.
private struct CanonicalScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let names: NameTable?
    var at = 0

    init(bytes: UnsafeBufferPointer<UInt8>, names: NameTable?) {
        self.bytes = bytes
        self.names = names
    }

    var atEnd: Bool { at == bytes.count }

    mutating func take(_ c: UInt8, field: String) throws(LedgerRecordError) -> Bool {
        guard at < bytes.count else { throw LedgerRecordError(field: field) }
        if bytes[at] == c {
            at += 1
            return true
        }
        return false
    }

    mutating func expect(_ c: UInt8, field: String) throws(LedgerRecordError) {
        guard try take(c, field: field) else { throw LedgerRecordError(field: field) }
    }

    /// A string's raw bytes (between the quotes) and whether they hold escapes.
    mutating func stringBytes(field: String) throws(LedgerRecordError) -> (range: Range<Int>, escaped: Bool) {
        try expect(UInt8(ascii: "\""), field: field)
        let start = at
        var escaped = false
        while at < bytes.count {
            switch bytes[at] {
            case UInt8(ascii: "\""):
                at += 1
                return (start..<at - 1, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                at += 2
            case 0..<0x20:
                throw LedgerRecordError(field: field)
            default:
                at += 1
            }
        }
        throw LedgerRecordError(field: field)
    }

    func text(_ s: (range: Range<Int>, escaped: Bool)) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[s.range]), as: UTF8.self)
    }

    mutating func string(field: String, shared: Bool = false) throws(LedgerRecordError) -> String {
        let s = try stringBytes(field: field)
        if s.escaped { return try unescape(s.range, field: field) }
        let raw = UnsafeBufferPointer(rebasing: bytes[s.range])
        if shared, let names { return names.string(raw) }
        return String(decoding: raw, as: UTF8.self)
    }

    mutating func day(field: String) throws(LedgerRecordError) -> Day {
        let s = try stringBytes(field: field)
        guard let d = Day(utf8: UnsafeBufferPointer(rebasing: bytes[s.range])) else { throw LedgerRecordError(field: field) }
        return d
    }

    mutating func strings(field: String) throws(LedgerRecordError) -> [String] {
        try expect(UInt8(ascii: "["), field: field)
        var out: [String] = []
        if try take(UInt8(ascii: "]"), field: field) { return out }
        repeat {
            out.append(try string(field: field, shared: true))
        } while try take(UInt8(ascii: ","), field: field)
        try expect(UInt8(ascii: "]"), field: field)
        return out
    }

    /// Where a number is, held to JSON's grammar: `-`? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?.
    mutating func number(field: String) throws(LedgerRecordError) -> Range<Int> {
        let start = at
        func digits() -> Int {
            let from = at
            while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) { at += 1 }
            return at - from
        }
        func next(_ c: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == c else { return false }
            at += 1
            return true
        }
        _ = next(UInt8(ascii: "-"))
        let whole = at
        guard digits() > 0, bytes[whole] != UInt8(ascii: "0") || at - whole == 1 else { throw LedgerRecordError(field: field) }
        if next(UInt8(ascii: ".")) { guard digits() > 0 else { throw LedgerRecordError(field: field) } }
        if next(UInt8(ascii: "e")) || next(UInt8(ascii: "E")) {
            _ = next(UInt8(ascii: "+")) || next(UInt8(ascii: "-"))
            guard digits() > 0 else { throw LedgerRecordError(field: field) }
        }
        return start..<at
    }

    /// A whole number of at most 18 digits, written plainly.
    mutating func integer(field: String) throws(LedgerRecordError) -> Int {
        let range = try number(field: field)
        let negative = bytes[range.lowerBound] == UInt8(ascii: "-")
        let digits = bytes[(negative ? range.lowerBound + 1 : range.lowerBound)..<range.upperBound]
        guard digits.count <= 18 else { throw LedgerRecordError(field: field) }
        var value = 0
        for d in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) else { throw LedgerRecordError(field: field) }
            value = value * 10 + Int(d - UInt8(ascii: "0"))
        }
        return negative ? -value : value
    }

    mutating func points(field: String) throws(LedgerRecordError) -> Points {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[try number(field: field)]), as: UTF8.self)
        guard let p = Points(exactly: text) else { throw LedgerRecordError(field: field) }
        return p
    }

    /// A string with escapes (rare: quotes, backslashes, control characters) is read by the JSON reader.
    func unescape(_ range: Range<Int>, field: String) throws(LedgerRecordError) -> String {
        guard case .string(let s)? = try? JSONReader.parse(Array(bytes[range.lowerBound - 1...range.upperBound])) else {
            throw LedgerRecordError(field: field)
        }
        return s
    }
}
