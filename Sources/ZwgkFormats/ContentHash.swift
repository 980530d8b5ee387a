import Crypto

/// SHA-256 in lowercase hex: the content hash zwgk stores for drop files, ledger records and snapshot
/// files. swift-crypto does the hashing (BoringSSL's code, with the CPU's SHA instructions where present).
public struct ContentHash: Sendable {
    private var state = Crypto.SHA256()

    public init() {}

    /// The hex digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var h = ContentHash()
        h.update(bytes)
        return h.finalize()
    }

    /// The hex digest of `text`'s UTF-8.
    public static func hex(_ text: String) -> String {
        var h = ContentHash()
        h.update(text)
        return h.finalize()
    }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ state.update(bufferPointer: UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { state.update(bufferPointer: $0) }
        }
    }

    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { state.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// The digest of everything fed so far, in lowercase hex.
    public func finalize() -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in state.finalize() {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
