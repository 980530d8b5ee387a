/// A calendar day as a spreadsheet holds it (a date cell's serial number, converted).
public struct CalendarDate: Sendable, Equatable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// The day of a spreadsheet serial number (the whole part; a time of day is dropped). In the 1900 system
    /// serial 1 is 1900-01-01 and serial 60 is Excel's (and Lotus's) nonexistent 1900-02-29, so serials after it
    /// count from 1899-12-30; in the 1904 system serial 0 is 1904-01-01. Nil for a serial before either start.
    public init?(serial: Double, date1904: Bool) {
        guard serial.isFinite, serial >= (date1904 ? 0 : 1), serial < 3_000_000 else { return nil }
        let whole = Int(serial.rounded(.down))
        // Days since 1970-01-01.
        let days: Int
        if date1904 {
            days = whole - 24_107
        } else {
            if whole == 60 { return nil }
            days = whole - (whole < 60 ? 25_568 : 25_569)
        }
        self = CalendarDate(daysSinceEpoch: days)
    }

    /// The day `days` after 1970-01-01 (proleptic Gregorian; Howard Hinnant's civil_from_days: plain integer
    /// arithmetic, kept here rather than going through Foundation's calendars and time zones).
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Days since 1970-01-01 (the inverse of ``init(daysSinceEpoch:)``).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The serial number of this day in the 1900 date system.
    public var serial1900: Int { daysSinceEpoch + 25_569 }
}

/// What one cell holds.
public enum CellValue: Sendable, Equatable {
    /// Text (a shared string, an inline string, a formula's text result, or a CSV field).
    case text(String)
    /// A number, exactly as the file writes it (`6.5`, `45058`, `6.499999999`).
    case number(String)
    /// A number whose cell format is a date format: the day it shows.
    case date(CalendarDate)
    case bool(Bool)
    /// An error value such as `#N/A` or `#DIV/0!`.
    case error(String)
    /// A formula whose result the file does not hold (saved by a program that does not calculate).
    case formulaWithoutValue(String)

    /// Whether the cell shows nothing: empty or whitespace-only text.
    public var isBlank: Bool {
        if case .text(let t) = self { return t.allSatisfy(\.isWhitespace) }
        return false
    }
}

/// A cell that holds something, and its column (0 for column A).
public struct Cell: Sendable, Equatable {
    public var column: Int
    public var value: CellValue

    public init(column: Int, value: CellValue) {
        self.column = column
        self.value = value
    }
}

/// One row of a sheet: its number as the program shows it (1 for the first) and its non-empty cells, by column.
public struct SheetRow: Sendable, Equatable {
    public var number: Int
    public var cells: [Cell]

    public init(number: Int, cells: [Cell]) {
        self.number = number
        self.cells = cells
    }

    /// The value in `column`, if the row has one there.
    public subscript(column: Int) -> CellValue? { cells.first { $0.column == column }?.value }

    /// Whether every cell of the row shows nothing.
    public var isBlank: Bool { cells.allSatisfy(\.value.isBlank) }
}

/// A rectangle of cells, such as a merged range: rows and columns inclusive, 1-based rows, 0-based columns.
public struct CellRange: Sendable, Equatable {
    public var firstRow: Int
    public var lastRow: Int
    public var firstColumn: Int
    public var lastColumn: Int

    public init(firstRow: Int, lastRow: Int, firstColumn: Int, lastColumn: Int) {
        self.firstRow = firstRow
        self.lastRow = lastRow
        self.firstColumn = firstColumn
        self.lastColumn = lastColumn
    }

    /// `A1:B2` (or `A1`).
    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard (1...2).contains(parts.count), let a = CellReference(String(parts[0])),
            let b = parts.count == 2 ? CellReference(String(parts[1])) : a
        else { return nil }
        self.init(
            firstRow: min(a.row, b.row), lastRow: max(a.row, b.row),
            firstColumn: min(a.column, b.column), lastColumn: max(a.column, b.column))
    }

    public func contains(row: Int, column: Int) -> Bool {
        (firstRow...lastRow).contains(row) && (firstColumn...lastColumn).contains(column)
    }
}

/// A sheet: its name, its non-empty rows in order, and its merged ranges.
public struct Sheet: Sendable, Equatable {
    public var name: String
    public var rows: [SheetRow]
    public var merged: [CellRange]

    public init(name: String, rows: [SheetRow], merged: [CellRange] = []) {
        self.name = name
        self.rows = rows
        self.merged = merged
    }
}
