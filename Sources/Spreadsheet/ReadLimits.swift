/// How much a workbook or CSV file may hold, checked while it is read: a file past a limit is refused as soon
/// as it passes it, so that no file costs more than the limits allow, whatever it declares.
public struct ReadLimits: Sendable {
    /// Rows with at least one cell, in all sheets read together.
    public var rows: Int
    /// Cells with a value in one row.
    public var cellsPerRow: Int
    /// Cells with a value, in all sheets read together.
    public var cells: Int
    /// UTF-8 bytes of all cell values read, each cell counted (a shared string once for every cell showing it).
    public var textBytes: Int
    /// Sheets the workbook lists.
    public var sheets: Int

    public init(rows: Int, cellsPerRow: Int, cells: Int, textBytes: Int, sheets: Int) {
        self.rows = rows
        self.cellsPerRow = cellsPerRow
        self.cells = cells
        self.textBytes = textBytes
        self.sheets = sheets
    }

    /// Limits far above any workbook zwgk writes or reads in its tests.
    public static let generous = ReadLimits(
        rows: 1_048_576, cellsPerRow: 16_384, cells: 20_000_000,
        textBytes: 1 << 30, sheets: 1_000)
}

/// What has been read so far against a file's ``ReadLimits``.
struct ReadBudget {
    let limits: ReadLimits
    var rows = 0
    var cells = 0
    var textBytes = 0

    init(_ limits: ReadLimits) { self.limits = limits }

    /// Counts a cell holding `bytes` bytes of values, the `rowCells`-th of its row; the limit passed, if any.
    mutating func take(cellOf bytes: Int, rowCells: Int) -> Exceeded? {
        cells += 1
        textBytes += bytes
        if rowCells > limits.cellsPerRow { return .cellsPerRow }
        if cells > limits.cells { return .cells }
        if textBytes > limits.textBytes { return .textBytes }
        return nil
    }

    /// Counts a row that has cells; the limit passed, if any.
    mutating func takeRow() -> Exceeded? {
        rows += 1
        return rows > limits.rows ? .rows : nil
    }

    enum Exceeded: Error {
        case rows, cellsPerRow, cells, textBytes
    }

    /// Why the file is refused, for the clerk: which limit, where, and what to do.
    func refusal(_ exceeded: Exceeded, sheet: String?, row: Int) -> String {
        let place = (sheet.map { "工作表“\(String($0.prefix(60)))”" } ?? "") + "第\(row)行"
        switch exceeded {
        case .cellsPerRow:
            return "\(place)有超过\(limits.cellsPerRow)个填写了内容的单元格,超过每行\(limits.cellsPerRow)个的上限。请删除多余的列后再提交。"
        case .rows:
            return "文件中填写了内容的行超过\(limits.rows)行(读到\(place)时),超过上限。请拆分为多个文件后再提交。"
        case .cells:
            return "文件中填写了内容的单元格超过\(limits.cells)个(读到\(place)时),超过上限。请拆分为多个文件后再提交。"
        case .textBytes:
            return "文件中单元格的文字总量超过\(limits.textBytes >> 20) MiB(读到\(place)时;共享字符串每被引用一次计一次),超过上限。请拆分为多个文件,或精简过长的文字后再提交。"
        }
    }
}
