/// Zip containers built byte by byte, for hostile-input tests: stored (uncompressed) parts, and the fields a
/// test tampers with reachable by their offsets. Real programs' workbooks come from openpyxl (`OfficeTools`);
/// these are the files no program writes.
public struct CraftedZip {
    public struct Part {
        public var name: String
        public var data: [UInt8]
        public init(_ name: String, _ data: [UInt8]) {
            self.name = name
            self.data = data
        }
        public init(_ name: String, _ text: String) { self.init(name, Array(text.utf8)) }
    }

    public private(set) var bytes: [UInt8] = []
    /// Where each part's local header starts, and where its central directory entry starts.
    public private(set) var localHeaders: [Int] = []
    public private(set) var centralEntries: [Int] = []
    /// Where the end-of-central-directory record starts.
    public private(set) var end = 0

    /// A zip of `parts`, stored; with `zip64Offset`, the first part's central entry gives its local header's
    /// offset in a zip64 extra field (the 32-bit field all ones), as that value.
    public init(_ parts: [Part], zip64Offset: UInt64? = nil) {
        for part in parts {
            localHeaders.append(bytes.count)
            let crc = CraftedZip.crc32(part.data)
            let name = Array(part.name.utf8)
            put32(0x0403_4B50)
            put16(20)
            put16(0)
            put16(0)
            put16(0)
            put16(0)
            put32(crc)
            put32(UInt32(part.data.count))
            put32(UInt32(part.data.count))
            put16(UInt16(name.count))
            put16(0)
            bytes += name
            bytes += part.data
        }
        let directory = bytes.count
        for (i, part) in parts.enumerated() {
            centralEntries.append(bytes.count)
            let name = Array(part.name.utf8)
            let zip64 = i == 0 ? zip64Offset : nil
            put32(0x0201_4B50)
            put16(20)
            put16(zip64 == nil ? 20 : 45)
            put16(0)
            put16(0)
            put16(0)
            put16(0)
            put32(CraftedZip.crc32(part.data))
            put32(UInt32(part.data.count))
            put32(UInt32(part.data.count))
            put16(UInt16(name.count))
            put16(zip64 == nil ? 0 : 12)
            put16(0)
            put16(0)
            put16(0)
            put32(0)
            put32(zip64 == nil ? UInt32(localHeaders[i]) : .max)
            bytes += name
            if let zip64 {
                put16(1)
                put16(8)
                put64(zip64)
            }
        }
        end = bytes.count
        put32(0x0605_4B50)
        put16(0)
        put16(0)
        put16(UInt16(parts.count))
        put16(UInt16(parts.count))
        put32(UInt32(end - directory))
        put32(UInt32(directory))
        put16(0)
    }

    /// Overwrites the little-endian integer of `size` bytes at `offset`.
    public mutating func patch(_ offset: Int, _ value: UInt64, size: Int) {
        for k in 0..<size { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
    }

    private mutating func put16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private mutating func put32(_ v: UInt32) { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) } }
    private mutating func put64(_ v: UInt64) { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }

    /// CRC-32 (ISO-HDLC, as zip uses).
    public static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// A workbook of `sheets` (name and worksheet XML, listed in that order) and, if given, shared strings.
    /// `listed` lists sheets in workbook.xml as (name, relationship id) instead, e.g. one part many times.
    public static func workbook(
        _ sheets: [(name: String, xml: String)], sharedStrings: [String]? = nil,
        styles: String? = nil, listed: [(name: String, id: String)]? = nil
    ) -> CraftedZip {
        let entries = listed ?? sheets.enumerated().map { ($0.element.name, "rId\($0.offset + 1)") }
        var workbook =
            #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#
        for (i, entry) in entries.enumerated() {
            workbook += #"<sheet name="\#(entry.name)" sheetId="\#(i + 1)" r:id="\#(entry.id)"/>"#
        }
        workbook += "</sheets></workbook>"
        var rels = #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for i in sheets.indices {
            rels +=
                #"<Relationship Id="rId\#(i + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(i + 1).xml"/>"#
        }
        rels += "</Relationships>"
        var parts = [Part("xl/workbook.xml", workbook), Part("xl/_rels/workbook.xml.rels", rels)]
        for (i, sheet) in sheets.enumerated() { parts.append(Part("xl/worksheets/sheet\(i + 1).xml", sheet.xml)) }
        if let strings = sharedStrings {
            parts.append(
                Part(
                    "xl/sharedStrings.xml",
                    #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
                        + strings.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>"))
        }
        if let styles { parts.append(Part("xl/styles.xml", styles)) }
        return CraftedZip(parts)
    }

    /// A worksheet part holding `rows` (the inner XML of `<sheetData>`).
    public static func sheet(_ rows: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
            + rows + "</sheetData></worksheet>"
    }

    /// A styles part whose cell style 1 shows dates (built-in format 14).
    public static let dateStyles =
        #"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#
}
