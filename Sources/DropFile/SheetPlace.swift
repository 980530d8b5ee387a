import Spreadsheet

/// A place in a spreadsheet drop file, as the clerk sees it: `工作表“发现问题”第12行 E列(指标)`.
public struct SheetPlace: Sendable, Equatable, CustomStringConvertible {
    /// The sheet's name; nil for a CSV file, which has one.
    public var sheet: String?
    /// The row number as the program shows it; nil for the whole sheet.
    public var row: Int?
    /// The column (0 for A); nil for the whole row.
    public var column: Int?
    /// The column's header, as written in row 1.
    public var header: String?

    public init(sheet: String?, row: Int? = nil, column: Int? = nil, header: String? = nil) {
        self.sheet = sheet
        self.row = row
        self.column = column
        self.header = header
    }

    public var description: String {
        var s = sheet.map { "工作表“\(ShownText.name($0))”" } ?? ""
        if let row { s += "第\(row)行" }
        if let column {
            s += (s.isEmpty ? "" : " ") + CellReference.letters(column) + "列"
            if let header, !header.isEmpty { s += "(\(ShownText.name(header)))" }
        }
        return s.isEmpty ? "整个文件" : s
    }

    /// How a record's source is kept in the ledger: `发现问题!12` for a sheet's row, `第12行` for a CSV's.
    public var source: String? {
        guard let row else { return nil }
        return sheet.map { "\($0)!\(row)" } ?? "第\(row)行"
    }
}
