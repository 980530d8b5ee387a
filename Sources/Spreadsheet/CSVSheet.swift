import CSV

/// A CSV file as a sheet: each record a row (numbered as a spreadsheet program shows it), each field a text
/// cell. Quoting, escaped quotes, separators and line breaks inside quotes, CRLF and LF are CSV.swift's.
public enum CSVSheet {
    /// The sheet of CSV `text` (already decoded), named `name`. Empty fields are left out of their row, and a
    /// blank line is a row with no cells.
    public static func read(_ text: String, name: String) throws(TextDecoding.Failure) -> Sheet {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            throw TextDecoding.Failure(description: "CSV 文件无法读取:\(error)")
        }
        var rows: [SheetRow] = []
        var number = 0
        while let fields = reader.next() {
            number += 1
            let cells = fields.enumerated().compactMap { i, field in
                field.isEmpty ? nil : Cell(column: i, value: .text(field))
            }
            if !cells.isEmpty { rows.append(SheetRow(number: number, cells: cells)) }
        }
        if let error = reader.error {
            throw TextDecoding.Failure(description: "CSV 文件第\(number + 1)行无法读取:\(error)")
        }
        return Sheet(name: name, rows: rows)
    }
}
