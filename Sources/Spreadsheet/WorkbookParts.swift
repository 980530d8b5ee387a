import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The small parts of a workbook besides its sheets, each read with Foundation's XMLParser: the package
/// relationships, the workbook's sheet list, the shared strings and which cell styles are dates. What
/// SpreadsheetML means (which number formats are dates, `_xHHHH_` escapes) is ECMA-376's, written out here
/// since no package at hand reads workbooks.
enum WorkbookParts {
    /// A sheet as the workbook lists it.
    struct SheetEntry {
        var name: String
        var relationshipID: String
    }

    /// `_rels/…rels`: relationship id → target, as written.
    static func relationships(_ data: Data) -> [String: String] {
        let reader = ElementReader(data)
        var out: [String: String] = [:]
        reader.onStart = { name, attributes in
            if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { out[id] = target }
        }
        reader.run()
        return out
    }

    /// The target of the package's officeDocument relationship (the workbook part), from `_rels/.rels`.
    static func officeDocument(_ data: Data) -> String? {
        let reader = ElementReader(data)
        var out: String?
        reader.onStart = { name, attributes in
            if name == "Relationship", attributes["Type"]?.hasSuffix("/officeDocument") == true { out = attributes["Target"] }
        }
        reader.run()
        return out
    }

    /// `xl/workbook.xml`: the sheets in order, and whether dates count from 1904.
    static func workbook(_ data: Data) -> (sheets: [SheetEntry], date1904: Bool)? {
        let reader = ElementReader(data)
        var sheets: [SheetEntry] = []
        var date1904 = false
        reader.onStart = { name, attributes in
            switch name {
            case "sheet":
                // The relationship attribute's prefix is whatever the writer chose (`r:id` as a rule).
                if let sheetName = attributes["name"],
                    let id = attributes.first(where: { $0.key == "id" || $0.key.hasSuffix(":id") })?.value
                {
                    sheets.append(SheetEntry(name: sheetName, relationshipID: id))
                }
            case "workbookPr":
                date1904 = ["1", "true"].contains(attributes["date1904"] ?? "")
            default: break
            }
        }
        guard reader.run() else { return nil }
        return (sheets, date1904)
    }

    /// `xl/sharedStrings.xml`: each string item's text (rich-text runs joined, phonetic guides left out).
    static func sharedStrings(_ data: Data) -> [String]? {
        let reader = ElementReader(data)
        var strings: [String] = []
        var current = ""
        var inText = false
        var phonetic = 0
        reader.onStart = { name, _ in
            switch name {
            case "si": current = ""
            case "t": inText = phonetic == 0
            case "rPh": phonetic += 1
            default: break
            }
        }
        reader.onEnd = { name in
            switch name {
            case "si": strings.append(unescapeOOXML(current))
            case "t": inText = false
            case "rPh": phonetic -= 1
            default: break
            }
        }
        reader.onText = { text in if inText { current += text } }
        guard reader.run() else { return nil }
        return strings
    }

    /// `xl/styles.xml`: for each cell style (`s` of a cell), whether its number format shows a date.
    static func dateStyles(_ data: Data) -> [Bool] {
        let reader = ElementReader(data)
        var customDate: [Int: Bool] = [:]
        var styles: [Bool] = []
        var inCellXfs = false
        reader.onStart = { name, attributes in
            switch name {
            case "numFmt":
                if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] {
                    customDate[id] = isDateFormat(code)
                }
            case "cellXfs": inCellXfs = true
            case "xf" where inCellXfs:
                let id = attributes["numFmtId"].flatMap(Int.init) ?? 0
                styles.append(customDate[id] ?? builtInDateFormats.contains(id))
            default: break
            }
        }
        reader.onEnd = { name in if name == "cellXfs" { inCellXfs = false } }
        reader.run()
        return styles
    }

    /// The built-in number formats that show a date (with or without a time): ECMA-376 §18.8.30, and the
    /// East Asian built-ins Excel and WPS use for 2023年5月12日 and the like.
    static let builtInDateFormats: Set<Int> = Set(14...17).union([22]).union(27...36).union(50...58)

    /// Whether a format code shows a date: it has a year or day part outside quoted text, escapes and brackets.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        var escaped = false
        for ch in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch ch {
            case "\\": escaped = !quoted
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            default: if !quoted && !bracket && (ch == "y" || ch == "d") { return true }
            }
        }
        return false
    }

    /// Undoes OOXML's `_xHHHH_` escapes of characters XML cannot hold (`_x000D_` for a carriage return). Read
    /// as bytes: Foundation's `range(of:)` took most of a large sheet's time.
    static func unescapeOOXML(_ text: String) -> String {
        let underscore = UInt8(ascii: "_"), x = UInt8(ascii: "x")
        let bytes = Array(text.utf8)
        guard bytes.count >= 7, zip(bytes, bytes.dropFirst()).contains(where: { $0 == underscore && $1 == x }) else { return text }
        func hex(_ b: UInt8) -> UInt32? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == underscore, i + 6 < bytes.count, bytes[i + 1] == x, bytes[i + 6] == underscore,
                let a = hex(bytes[i + 2]), let b = hex(bytes[i + 3]), let c = hex(bytes[i + 4]), let d = hex(bytes[i + 5]),
                let scalar = Unicode.Scalar(a << 12 | b << 8 | c << 4 | d)
            {
                out.append(contentsOf: String(Character(scalar)).utf8)
                i += 7
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Foundation's XMLParser as three closures, with element names stripped of any namespace prefix
/// (`x:c` → `c`). External entities are never resolved.
final class ElementReader: NSObject, XMLParserDelegate {
    private let parser: XMLParser
    var onStart: (String, [String: String]) -> Void = { _, _ in }
    var onEnd: (String) -> Void = { _ in }
    var onText: (String) -> Void = { _ in }
    /// What XMLParser reported, when it stopped on malformed XML.
    private(set) var failure: String?

    init(_ data: Data) {
        // Fed as a stream, in chunks: given the whole part at once, libxml2's push parser refuses any part over
        // its 10,000,000-byte lookup limit (XML_MAX_LOOKUP_LIMIT) as malformed.
        parser = XMLParser(stream: InputStream(data: data))
        super.init()
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
    }

    /// Parses the whole part; false when it is not well-formed XML, or was stopped by ``abort()``.
    @discardableResult
    func run() -> Bool { parser.parse() && failure == nil }

    /// Stops parsing (from a closure): ``run()`` then returns false.
    func abort() { parser.abortParsing() }

    private static func local(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        onStart(ElementReader.local(elementName), attributeDict)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        onEnd(ElementReader.local(elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { onText(string) }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        failure = "\(parseError)"
    }
}
