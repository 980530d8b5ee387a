/// A cell to write: its value and how it is shown.
public struct OutputCell: Sendable {
    public enum Value: Sendable {
        case text(String)
        /// Text that recurs (a unit's name, a row's): written once to the workbook's shared strings, and here
        /// by its number there; inline when the writer has no shared strings.
        case shared(String)
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
    public static func shared(_ s: String) -> OutputCell { OutputCell(.shared(s)) }
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
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
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
///
/// Written here because none of the packages at hand writes SpreadsheetML (ZIPFoundation is the container
/// only; XMLCoder encodes a whole value tree in memory, which a 500,000-row sheet must not be).
public struct WorksheetWriter {
    private var nextRow = 1
    private let strings: SharedStrings?

    /// A writer whose `.shared` cells go to `strings` (inline without).
    public init(sharedStrings strings: SharedStrings? = nil) { self.strings = strings }

    public mutating func begin(columns: [ColumnFormat], freezeHeader: Bool, to out: inout some TextOutputStream) {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        out.write(
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        )
        out.write("<sheetViews><sheetView workbookViewId=\"0\">")
        if freezeHeader {
            out.write(
                "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
            )
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
        let strings = self.strings
        row(to: &out) { r in
            for cell in cells {
                switch cell.value {
                case .text(let t): r.text(t, style: cell.style)
                case .shared(let t): if let strings { r.shared(t.isEmpty ? nil : strings.index(of: t)) } else { r.text(t, style: cell.style) }
                case .number(let n): r.number(n)
                case .date(let d): r.date(d, style: cell.style)
                }
            }
        }
    }

    /// Writes the next row, its cells given one by one to `build`, at one write.
    public mutating func row(to out: inout some TextOutputStream, _ build: (inout RowBuilder) -> Void) {
        var r = RowBuilder(row: nextRow)
        nextRow += 1
        build(&r)
        r.x += "</row>"
        out.write(r.x)
    }

    public mutating func end(validations: [ListValidation] = [], to out: inout some TextOutputStream) {
        out.write("</sheetData>")
        if !validations.isEmpty {
            out.write("<dataValidations count=\"\(validations.count)\">")
            for v in validations {
                out.write(
                    "<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"\(v.prompt == nil ? 0 : 1)\" showErrorMessage=\"\(v.strict ? 1 : 0)\"")
                if v.strict { out.write(" errorStyle=\"stop\" errorTitle=\"不在列表中\" error=\"请从下拉列表中选择。\"") }
                if let p = v.prompt { out.write(" promptTitle=\"填写说明\" prompt=\"\(WorksheetWriter.escape(p))\"") }
                out.write(" sqref=\"\(v.cells)\"><formula1>\(WorksheetWriter.escape(v.source))</formula1></dataValidation>")
            }
            out.write("</dataValidations>")
        }
        out.write("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>\n")
    }

    /// Whether leading or trailing whitespace, or a line break, must be kept by `xml:space="preserve"`.
    static func needsPreserve(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        return first == 0x20 || last == 0x20 || text.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// Whether `text` holds nothing `escape` changes: no markup characters, no control characters, no U+FFFE/FFFF.
    static func isPlain(_ text: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for b in text.utf8 {
            switch b {
            case 0x26, 0x3C, 0x3E, 0x22: return false
            case 0x00..<0x20 where b != 0x09 && b != 0x0A && b != 0x0D: return false
            case 0xBE...0xBF: if previous == (0xEF, 0xBF) { return false }
            default: break
            }
            previous = (previous.1, b)
        }
        return true
    }

    /// Text as XML character data: markup escaped, characters XML 1.0 cannot hold as OOXML's `_xHHHH_`.
    public static func escape(_ text: String) -> String {
        if isPlain(text) { return text }
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

/// The cells of one row, in column order, put together as text. Cells are written without their reference
/// (SpreadsheetML places them one after another); an empty cell is left out, and the next one then names
/// its column.
public struct RowBuilder {
    fileprivate var x: String
    private let row: Int
    private var column = 0
    private var placed = true

    init(row: Int) {
        self.row = row
        x = "<row r=\"\(row)\">"
        x.reserveCapacity(512)
    }

    private mutating func open(style: CellStyle) {
        x += "<c"
        if !placed {
            x += " r=\""
            x += CellReference.letters(column)
            x += String(row)
            x += "\""
            placed = true
        }
        if style != .plain {
            x += " s=\""
            x += String(style.rawValue)
            x += "\""
        }
        column += 1
    }

    /// An empty cell.
    public mutating func skip() {
        placed = false
        column += 1
    }

    /// Text written in the cell (inline); empty text is an empty cell.
    public mutating func text(_ t: String, style: CellStyle = .plain) {
        if t.isEmpty { return skip() }
        open(style: style)
        x += WorksheetWriter.needsPreserve(t) ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t>"
        x += WorksheetWriter.escape(t)
        x += "</t></is></c>"
    }

    /// Two texts joined by a space (`8月检查.xlsx 发现问题!12`), without building the joined text first.
    public mutating func text(_ a: String, _ b: String) {
        if b.isEmpty { return text(a) }
        open(style: .plain)
        x += WorksheetWriter.needsPreserve(a + b) ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t>"
        x += WorksheetWriter.escape(a)
        x += " "
        x += WorksheetWriter.escape(b)
        x += "</t></is></c>"
    }

    /// The shared string numbered `index` (see `SharedStrings.index(of:)`); nil is an empty cell.
    public mutating func shared(_ index: Int?) {
        guard let index else { return skip() }
        open(style: .plain)
        x += " t=\"s\"><v>"
        x += String(index)
        x += "</v></c>"
    }

    /// A number, written as given.
    public mutating func number(_ n: String) {
        open(style: .plain)
        x += "><v>"
        x += n
        x += "</v></c>"
    }

    public mutating func date(_ d: CalendarDate, style: CellStyle = .date) {
        open(style: style)
        x += "><v>"
        x += String(d.serial1900)
        x += "</v></c>"
    }
}
