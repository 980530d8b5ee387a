import Foundation

/// Reads one worksheet part (`xl/worksheets/sheetN.xml`) into rows of cells with XMLParser: shared strings,
/// inline strings, numbers as written, dates by their cell style, booleans, errors, formulas by their cached
/// value, and merged ranges.
struct WorksheetReader {
    let sharedStrings: [String]
    let dateStyles: [Bool]
    let date1904: Bool

    /// A problem with one cell that makes the sheet unreadable (a shared string that does not exist).
    struct BadCell: Error {
        var reference: CellReference
        var detail: String
    }

    func read(_ data: Data, name: String) throws -> Sheet {
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
        var text: String?   // the text of the <v>, <f> or <t> element being read
        var phonetic = 0
        var failure: BadCell?

        reader.onStart = { element, attributes in
            switch element {
            case "row":
                rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
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
                    if let v = try cellValue(type: type, style: style, value: value, formula: formula,
                                             inline: hasInline ? inline : nil, at: CellReference(column: column, row: rowNumber)) {
                        cells.append(Cell(column: column, value: v))
                    }
                } catch let bad as BadCell {
                    if failure == nil { failure = bad }
                } catch {}
            case "row":
                if !cells.isEmpty { rows.append(SheetRow(number: rowNumber, cells: cells)) }
            default: break
            }
        }
        guard reader.run() else {
            throw WorkbookError(.damaged, "工作表“\(name)”的内容无法读取(XML 格式错误),文件可能已损坏。请在 Excel/WPS 中重新另存为 .xlsx 后再提交。")
        }
        if let failure { throw failure }
        return Sheet(name: name, rows: rows, merged: merged)
    }

    /// The value of a cell, or nil for a cell that holds nothing (only a style).
    private func cellValue(type: String, style: Int, value: String?, formula: String?, inline: String?,
                           at reference: CellReference) throws -> CellValue? {
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
            if dateStyles.indices.contains(style), dateStyles[style], let serial = Double(v),
               let date = CalendarDate(serial: serial, date1904: date1904) {
                return .date(date)
            }
            return .number(v)
        }
    }
}
