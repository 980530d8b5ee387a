/// A cell to write: its value and how it is shown.
public struct OutputCell: Sendable {
    public enum Value: Sendable {
        case text(String)
        /// A number, written exactly as given (`95.5`).
        case number(String)
        case date(CalendarDate)
    }

    public var value: Value
    public var style: CellStyle

    public init(_ value: Value, style: CellStyle = .plain) {
        self.value = value
        self.style = style
    }

    public static func text(_ s: String, style: CellStyle = .plain) -> OutputCell { OutputCell(.text(s), style: style) }
    public static func number(_ s: String) -> OutputCell { OutputCell(.number(s)) }
    public static func date(_ d: CalendarDate) -> OutputCell { OutputCell(.date(d), style: .date) }
}

/// The cell styles every workbook zwgk writes has (their order in `styles.xml`, see `WorkbookWriter`).
public enum CellStyle: Int, Sendable {
    case plain = 0
    /// Bold on a light fill: a header row.
    case header = 1
    /// A date shown as `2023-05-12`.
    case date = 2
    /// Text wrapped at the column's width, aligned to the top.
    case wrapped = 3
    /// Text format (`@`): what is typed stays text (an id such as `001`).
    case textFormat = 4
}

/// A column's width (in characters, as Excel counts them) and the style new cells in it get.
public struct ColumnFormat: Sendable {
    public var width: Double
    public var style: CellStyle?

    public init(width: Double, style: CellStyle? = nil) {
        self.width = width
        self.style = style
    }

    /// A width that fits `texts`: CJK characters count two, others one, plus a margin; at most 60.
    public static func fitting(_ texts: [String], minimum: Double = 6) -> Double {
        let widest = texts.map(displayWidth).max() ?? 0
        return min(60, max(minimum, Double(widest) + 2))
    }

    /// The width of `text` in character cells: East Asian wide characters count two.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { sum, s in
            let v = s.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return sum + (wide ? 2 : 1)
        }
    }
}

/// A dropdown list on a range of cells (data validation of type list), its items in a range of another sheet.
public struct ListValidation: Sendable {
    /// The cells it applies to, e.g. `D2:D1000`.
    public var cells: String
    /// The items, e.g. `'名单'!$A$2:$A$61`.
    public var source: String
    /// Whether a value not in the list is refused (a stop message) or only offered (several units in one cell).
    public var strict: Bool
    public var prompt: String?

    public init(cells: String, source: String, strict: Bool, prompt: String? = nil) {
        self.cells = cells
        self.source = source
        self.strict = strict
        self.prompt = prompt
    }
}

/// Writes one worksheet part as a stream: the opening (frozen header row, column formats), then rows one at
/// a time, then the closing (data validations). Strings are inline, so no shared-string table is built.
public struct WorksheetWriter {
    private var nextRow = 1

    public init() {}

    public mutating func begin(columns: [ColumnFormat], freezeHeader: Bool, to out: inout some TextOutputStream) {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        out.write("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">")
        out.write("<sheetViews><sheetView workbookViewId=\"0\">")
        if freezeHeader {
            out.write("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>")
        }
        out.write("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>")
        if !columns.isEmpty {
            out.write("<cols>")
            for (i, c) in columns.enumerated() {
                out.write("<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(c.width)\" customWidth=\"1\"")
                if let style = c.style { out.write(" style=\"\(style.rawValue)\"") }
                out.write("/>")
            }
            out.write("</cols>")
        }
        out.write("<sheetData>")
    }

    /// Writes the next row (rows are numbered from 1 in the order written).
    public mutating func row(_ cells: [OutputCell], to out: inout some TextOutputStream) {
        let r = nextRow
        nextRow += 1
        out.write("<row r=\"\(r)\">")
        for (i, cell) in cells.enumerated() {
            let ref = CellReference.letters(i) + String(r)
            let s = cell.style == .plain ? "" : " s=\"\(cell.style.rawValue)\""
            switch cell.value {
            case .text(let t):
                if t.isEmpty { continue }
                out.write("<c r=\"\(ref)\"\(s) t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                out.write(WorksheetWriter.escape(t))
                out.write("</t></is></c>")
            case .number(let n):
                out.write("<c r=\"\(ref)\"\(s)><v>\(n)</v></c>")
            case .date(let d):
                out.write("<c r=\"\(ref)\"\(s)><v>\(d.serial1900)</v></c>")
            }
        }
        out.write("</row>")
    }

    public mutating func end(validations: [ListValidation] = [], to out: inout some TextOutputStream) {
        out.write("</sheetData>")
        if !validations.isEmpty {
            out.write("<dataValidations count=\"\(validations.count)\">")
            for v in validations {
                out.write("<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"\(v.prompt == nil ? 0 : 1)\" showErrorMessage=\"\(v.strict ? 1 : 0)\"")
                if v.strict { out.write(" errorStyle=\"stop\" errorTitle=\"不在列表中\" error=\"请从下拉列表中选择。\"") }
                if let p = v.prompt { out.write(" promptTitle=\"填写说明\" prompt=\"\(WorksheetWriter.escape(p))\"") }
                out.write(" sqref=\"\(v.cells)\"><formula1>\(WorksheetWriter.escape(v.source))</formula1></dataValidation>")
            }
            out.write("</dataValidations>")
        }
        out.write("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>\n")
    }

    /// Text as XML character data: markup escaped, characters XML 1.0 cannot hold as OOXML's `_xHHHH_`.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            switch s {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(s)
            default:
                if s.value < 0x20 || s.value == 0xFFFE || s.value == 0xFFFF {
                    let hex = String(s.value, radix: 16, uppercase: true)
                    out += "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
                } else {
                    out.unicodeScalars.append(s)
                }
            }
        }
        return out
    }
}
