import CSV

/// A CSV file as a sheet: each record a row (numbered as a spreadsheet program shows it), each field a text
/// cell. Quoting, escaped quotes, separators and line breaks inside quotes, CRLF and LF are CSV.swift's.
public enum CSVSheet {
    /// The sheet of CSV `text` (already decoded), named `name`. Empty fields are left out of their row, and a
    /// blank line is a row with no cells. Reading stops at the first of `limits` passed.
    public static func read(_ text: String, name: String, limits: ReadLimits = .generous) throws(TextDecoding.Failure) -> Sheet {
        if let row = widestRow(text) {
            throw TextDecoding.Failure(description: "CSV 文件第\(row)行有超过\(fieldLimit)个字段(逗号分隔的列,空的也算),超过上限。请删除多余的列后再提交。")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            throw TextDecoding.Failure(description: "CSV 文件无法读取:\(error)")
        }
        var rows: [SheetRow] = []
        var number = 0
        var budget = ReadBudget(limits)
        while let fields = reader.next() {
            number += 1
            var cells: [Cell] = []
            for (i, field) in fields.enumerated() where !field.isEmpty {
                cells.append(Cell(column: i, value: .text(field)))
                if let over = budget.take(cellOf: field.utf8.count, rowCells: cells.count) {
                    throw TextDecoding.Failure(description: budget.refusal(over, sheet: nil, row: number))
                }
            }
            if !cells.isEmpty {
                rows.append(SheetRow(number: number, cells: cells))
                if let over = budget.takeRow() {
                    throw TextDecoding.Failure(description: budget.refusal(over, sheet: nil, row: number))
                }
            }
        }
        if let error = reader.error {
            throw TextDecoding.Failure(description: "CSV 文件第\(number + 1)行无法读取:\(error)")
        }
        return Sheet(name: name, rows: rows)
    }

    /// The most fields (empty ones included) a CSV row may have: Excel's last column.
    public static let fieldLimit = 16_384

    /// The number of the first row with more than ``fieldLimit`` fields, if any, found by counting separators
    /// outside quotes (a doubled quote inside quotes toggles twice): CSV.swift holds every field of a row, empty
    /// ones too, before any can be looked at.
    static func widestRow(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            var quoted = false
            var fields = 1
            var row = 1
            for b in bytes {
                switch b {
                case UInt8(ascii: "\""): quoted.toggle()
                case UInt8(ascii: ",") where !quoted:
                    fields += 1
                    if fields > fieldLimit { return row }
                case UInt8(ascii: "\n") where !quoted:
                    fields = 1
                    row += 1
                default: break
                }
            }
            return nil
        }
    }
}
