import Foundation

/// Reads one worksheet part (`xl/worksheets/sheetN.xml`) into rows of cells with XMLParser: shared strings,
/// inline strings, numbers as written, dates by their cell style, booleans, errors, formulas by their cached
/// value, and merged ranges.
struct WorksheetReader {
    let sharedStrings: [String]
    let dateStyles: [Bool]
    let date1904: Bool

    /// The largest row number a sheet has (Excel's and the format's last row).
    static let lastRow = 1_048_576

    /// A problem with one cell that makes the sheet unreadable (a shared string that does not exist).
    struct BadCell: Error {
        var reference: CellReference
        var detail: String
    }

    /// A row number outside 1…``lastRow``.
    struct BadRow: Error {
        var text: String
    }

    /// Reads the sheet, counting what it holds against `budget` and stopping at the first limit passed.
    func read(_ data: Data, name: String, budget: inout ReadBudget) throws -> Sheet {
        let reader = ElementReader(data)
        var rows: [SheetRow] = []
        var merged: [CellRange] = []
        var rowNumber = 0
        var cells: [Cell] = []
        // The cell being read.
        var column = -1
        var type = "n"
        var style = 0
        var value: String?
        var formula: String?
        var inline = ""
        var hasInline = false
        var text: String?  // the text of the <v>, <f> or <t> element being read
        var phonetic = 0
        var failure: (any Error)?
        var exceeded: ReadBudget.Exceeded?
        var counted = budget
        // Weak: the reader holds the closures that call this (no cycle keeps the part's bytes alive).
        weak let stoppable = reader
        func stop(_ error: any Error) {
            if failure == nil { failure = error }
            stoppable?.abort()
        }

        reader.onStart = { element, attributes in
            switch element {
            case "row":
                // Range-checked before any arithmetic: the next row without `r` is this one's plus one.
                if let r = attributes["r"] {
                    guard let n = Int(r), (1...WorksheetReader.lastRow).contains(n) else { return stop(BadRow(text: r)) }
                    rowNumber = n
                } else {
                    guard rowNumber < WorksheetReader.lastRow else { return stop(BadRow(text: "\(WorksheetReader.lastRow + 1)")) }
                    rowNumber += 1
                }
                cells = []
                column = -1
            case "c":
                column = attributes["r"].flatMap(CellReference.init)?.column ?? column + 1
                type = attributes["t"] ?? "n"
                style = attributes["s"].flatMap(Int.init) ?? 0
                value = nil
                formula = nil
                inline = ""
                hasInline = false
            case "v", "f": text = ""
            case "is": hasInline = true
            case "t" where hasInline && phonetic == 0: text = ""
            case "rPh": phonetic += 1
            case "mergeCell":
                if let range = attributes["ref"].flatMap(CellRange.init) { merged.append(range) }
            default: break
            }
        }
        reader.onText = { s in
            if text != nil { text! += s }
        }
        reader.onEnd = { element in
            switch element {
            case "v":
                value = text
                text = nil
            case "f":
                formula = text
                text = nil
            case "t" where hasInline:
                if let t = text { inline += t }
                text = nil
            case "rPh": phonetic -= 1
            case "c":
                do {
                    if let v = try cellValue(
                        type: type, style: style, value: value, formula: formula,
                        inline: hasInline ? inline : nil, at: CellReference(column: column, row: rowNumber))
                    {
                        cells.append(Cell(column: column, value: v))
                        if let over = counted.take(cellOf: v.textBytes, rowCells: cells.count) {
                            exceeded = over
                            stop(over)
                        }
                    }
                } catch {
                    stop(error)
                }
            case "row":
                if !cells.isEmpty {
                    rows.append(SheetRow(number: rowNumber, cells: cells))
                    if let over = counted.takeRow() {
                        exceeded = over
                        stop(over)
                    }
                }
            default: break
            }
        }
        let wellFormed = reader.run()
        if let exceeded { throw WorkbookError(.tooLarge, counted.refusal(exceeded, sheet: name, row: rowNumber)) }
        if let failure { throw failure }
        guard wellFormed else {
            throw WorkbookError(.damaged, "工作表“\(name)”的内容无法读取(XML 格式错误),文件可能已损坏。请在 Excel/WPS 中重新另存为 .xlsx 后再提交。")
        }
        budget = counted
        return Sheet(name: name, rows: rows, merged: merged)
    }

    /// The value of a cell, or nil for a cell that holds nothing (only a style).
    private func cellValue(
        type: String, style: Int, value: String?, formula: String?, inline: String?,
        at reference: CellReference
    ) throws -> CellValue? {
        switch type {
        case "s":
            guard let v = value else { return nil }
            guard let i = Int(v), sharedStrings.indices.contains(i) else {
                throw BadCell(reference: reference, detail: "引用了不存在的共享字符串 \(v)")
            }
            return .text(sharedStrings[i])
        case "inlineStr":
            return inline.map { .text(WorkbookParts.unescapeOOXML($0)) } ?? value.map { .text($0) }
        case "str":
            guard let v = value else { return formula.map { .formulaWithoutValue($0) } }
            return .text(WorkbookParts.unescapeOOXML(v))
        case "b":
            guard let v = value else { return formula.map { .formulaWithoutValue($0) } }
            return .bool(v == "1" || v == "true")
        case "e":
            return .error(value ?? "#VALUE!")
        case "d":
            guard let v = value else { return formula.map { .formulaWithoutValue($0) } }
            let parts = v.prefix(10).split(separator: "-")
            guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return .text(v) }
            return .date(CalendarDate(year: y, month: m, day: d))
        default:
            guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else {
                return formula.map { .formulaWithoutValue($0) }
            }
            // Double() also reads `0x1p3`, `nan` and `inf`: only a decimal number is one here.
            guard WorksheetReader.isDecimalNumber(v) else {
                throw BadCell(reference: reference, detail: "数值“\(v.prefix(40))”不是有效的十进制数字")
            }
            if dateStyles.indices.contains(style), dateStyles[style], let serial = Double(v),
                let date = CalendarDate(serial: serial, date1904: date1904)
            {
                return .date(date)
            }
            return .number(v)
        }
    }

    /// Whether `text` is a number as SpreadsheetML writes one: an optional sign, digits with an optional
    /// decimal point, and an optional exponent (`45058`, `-0.25`, `1.5E-3`).
    static func isDecimalNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let n = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
            bytes = bytes.dropFirst(n)
            return n
        }
        var count = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            count += digits()
        }
        guard count > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}

extension CellValue {
    /// The bytes of text the value holds, counted against a file's limit.
    var textBytes: Int {
        switch self {
        case .text(let t), .number(let t), .error(let t), .formulaWithoutValue(let t): t.utf8.count
        case .date, .bool: 8
        }
    }
}
