import Foundation

/// A pass over a part's bytes before XMLParser sees them, bounding what libxml2 would spend time on: the
/// attributes of one element (libxml2 2.9 checks each new attribute against all before it, so an element
/// of 200,000 attributes costs it minutes) and the elements of the whole part.
enum XMLShape {
    /// Why the part is refused.
    enum Excess: Error {
        case attributes(Int)
        case elements(Int)
    }

    /// Checks that no element of `data` has more than `attributes` attributes and that it has at most
    /// `elements` elements. Comments, CDATA sections, declarations and processing instructions are skipped;
    /// quoted attribute values may hold `>`. Malformed XML is left to the parser to refuse.
    static func check(_ data: Data, attributes: Int, elements: Int) throws(Excess) {
        let result: Excess? = data.withUnsafeBytes { raw -> Excess? in
            let b = raw.bindMemory(to: UInt8.self)
            let n = b.count
            var i = 0
            var count = 0
            while i < n {
                guard b[i] == UInt8(ascii: "<") else {
                    i += 1
                    continue
                }
                i += 1
                guard i < n else { break }
                switch b[i] {
                case UInt8(ascii: "/"):
                    continue
                case UInt8(ascii: "!"), UInt8(ascii: "?"):
                    // Skip to the end of the comment, CDATA section, declaration or instruction.
                    let close: [UInt8] = startsWith(b, i, "!--") ? Array("-->".utf8) : startsWith(b, i, "![CDATA[") ? Array("]]>".utf8) : [UInt8(ascii: ">")]
                    while i < n && !startsWith(b, i, close) { i += 1 }
                    continue
                default:
                    count += 1
                    if count > elements { return .elements(elements) }
                    var quote: UInt8 = 0
                    var equals = 0
                    while i < n {
                        let c = b[i]
                        if quote != 0 {
                            if c == quote { quote = 0 }
                        } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                            quote = c
                        } else if c == UInt8(ascii: "=") {
                            equals += 1
                            if equals > attributes { return .attributes(attributes) }
                        } else if c == UInt8(ascii: ">") {
                            break
                        }
                        i += 1
                    }
                }
            }
            return nil
        }
        if let result { throw result }
    }

    private static func startsWith(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ text: String) -> Bool {
        startsWith(b, i, Array(text.utf8))
    }

    private static func startsWith(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ bytes: [UInt8]) -> Bool {
        guard i + bytes.count <= b.count else { return false }
        for k in bytes.indices where b[i + k] != bytes[k] { return false }
        return true
    }
}
