/// A workbook's shared-string table, filled while its sheets are written: each distinct text once, cells
/// referring to it by number. Used for text that recurs (units, rows), which keeps a large sheet small.
public final class SharedStrings {
    private var numbers: [String: Int] = [:]
    private(set) var texts: [String] = []

    public init() {}

    /// The number of `text` in the table, adding it when new.
    public func index(of text: String) -> Int {
        if let n = numbers[text] { return n }
        let n = texts.count
        numbers[text] = n
        texts.append(text)
        return n
    }

    public var isEmpty: Bool { texts.isEmpty }

    /// Writes the table as the `xl/sharedStrings.xml` part.
    public func write(to out: inout some TextOutputStream) {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        out.write("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" uniqueCount=\"\(texts.count)\">")
        for t in texts {
            out.write(WorksheetWriter.needsPreserve(t) ? "<si><t xml:space=\"preserve\">" : "<si><t>")
            out.write(WorksheetWriter.escape(t))
            out.write("</t></si>")
        }
        out.write("</sst>")
    }
}
