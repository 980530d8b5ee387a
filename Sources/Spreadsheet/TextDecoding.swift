#if canImport(Glibc)
import Glibc
#endif

/// CSV text as offices save it: UTF-8 with or without a byte-order mark, or GB18030/GBK (what Excel and WPS
/// write as "CSV" on Chinese Windows), told apart without being told. GB18030 is converted by the C
/// library's iconv (glibc's GB18030 module), not by tables of our own.
public enum TextDecoding {
    /// The encoding a text was read in.
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case gb18030 = "GB18030"
    }

    /// Why the bytes are no text zwgk reads; the description is for the clerk (Chinese).
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The text of `bytes`: UTF-8 when it has a UTF-8 byte-order mark or is valid UTF-8, otherwise GB18030 when
    /// it is valid GB18030; any other bytes are refused.
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> (text: String, encoding: Encoding) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw Failure(description: "文件是 UTF-16 编码(Excel 的“Unicode 文本”),不是 CSV 所用的编码。请另存为“CSV UTF-8(逗号分隔)”或“CSV(逗号分隔)”后再提交。")
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let text = String(validating: body, as: UTF8.self) { return (text, .utf8) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw Failure(description: "文件开头标明是 UTF-8 编码,但其中有不是 UTF-8 的字节。请用 Excel/WPS 重新另存为“CSV UTF-8(逗号分隔)”后再提交。")
        }
        if let text = convert(body, from: "GB18030") { return (text, .gb18030) }
        throw Failure(description: "文件既不是 UTF-8 编码,也不是 GB18030/GBK 编码,无法识别其中的文字。请用 Excel/WPS 另存为“CSV UTF-8(逗号分隔)”后再提交。")
    }

    /// `bytes` converted from `encoding` to a String by iconv; nil when they are not valid in that encoding.
    static func convert(_ bytes: [UInt8], from encoding: String) -> String? {
        let cd = iconv_open("UTF-8", encoding)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var outLeft = outBuf.count
                // Every GB18030 character takes 1, 2 or 4 bytes and becomes at most 4 bytes of UTF-8: twice the
                // input always fits, so a failure here is a byte that is not GB18030 (EILSEQ) or a cut-off one (EINVAL).
                if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 || inLeft != 0 { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let produced else { return nil }
        return String(decoding: output[..<produced].lazy.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
