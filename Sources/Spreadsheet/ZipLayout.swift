/// Checks the layout of a zip container against the file's size before ZIPFoundation reads it.
///
/// Why it exists: ZIPFoundation (0.9.20) converts the offsets and sizes it reads from the end-of-central-
/// directory record, the central directory, zip64 extra fields and local headers to `off_t` and `Int64`
/// unchecked, so a value of 2^63 or more traps (the process dies with SIGILL), and it follows offsets past the
/// end of the file. Every value it will use is read here the way it reads it and checked to lie inside the
/// file, so that only a container whose every part is where it says reaches ZIPFoundation. (APPNOTE.TXT 4.3.)
enum ZipLayout {
    /// Why the container is refused (in Chinese, for the reason).
    struct Bad: Error {
        var detail: String
    }

    private static let localSignature: UInt32 = 0x0403_4B50
    private static let centralSignature: UInt32 = 0x0201_4B50
    private static let endSignature: UInt32 = 0x0605_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50

    /// Checks `bytes` as a zip of at most `entryLimit` entries; returns how many entries it has.
    @discardableResult
    static func check(_ bytes: [UInt8], entryLimit: Int) throws(Bad) -> Int {
        let reader = LittleEndian(bytes: bytes)
        let size = UInt64(bytes.count)
        // The end record: the last signature within the last 22 + 65,535 bytes (a comment is at most 65,535),
        // which is the one ZIPFoundation finds (it searches back from the end).
        guard bytes.count >= 22 else { throw Bad(detail: "文件太短,不是完整的压缩包") }
        var end: Int?
        var i = bytes.count - 22
        while i >= max(0, bytes.count - 22 - 65_535) {
            if reader.u32(i) == endSignature {
                end = i
                break
            }
            i -= 1
        }
        guard let end else { throw Bad(detail: "找不到压缩包的目录结尾") }
        guard UInt64(end) + 22 + UInt64(reader.u16(end + 20)) <= size else { throw Bad(detail: "压缩包的目录结尾超出文件末尾") }
        var entries = UInt64(reader.u16(end + 10))
        var directorySize = UInt64(reader.u32(end + 12))
        var directoryOffset = UInt64(reader.u32(end + 16))
        // A zip64 end record, where ZIPFoundation looks for one: right before its locator, right before the end record.
        if end > 20 && end - 20 > 56 {
            let locator = end - 20
            let record = locator - 56
            if reader.u32(locator) == zip64LocatorSignature && reader.u32(record) == zip64EndSignature
                && reader.u16(record + 14) >= 45
            {
                entries = reader.u64(record + 32)
                directorySize = reader.u64(record + 40)
                directoryOffset = reader.u64(record + 48)
            }
        }
        guard entries <= UInt64(entryLimit) else { throw Bad(detail: "压缩包声明有\(entries)个部件,超过\(entryLimit)个的上限") }
        guard directoryOffset <= size, directorySize <= size - directoryOffset else {
            throw Bad(detail: "压缩包目录的位置或大小超出文件末尾")
        }
        var position = directoryOffset
        for _ in 0..<Int(entries) {
            position = try entry(at: position, reader, size: size)
        }
        return Int(entries)
    }

    /// Checks the central directory entry at `position` and the local header and data it points to; returns
    /// where the next entry starts.
    private static func entry(at position: UInt64, _ r: LittleEndian, size: UInt64) throws(Bad) -> UInt64 {
        guard position <= size, size - position >= 46, case let p = Int(position), r.u32(p) == centralSignature else {
            throw Bad(detail: "压缩包目录中的部件记录损坏或超出文件末尾")
        }
        let versionNeeded = r.u16(p + 6)
        let flags = r.u16(p + 8)
        let method = r.u16(p + 10)
        let compressed32 = r.u32(p + 20)
        let uncompressed32 = r.u32(p + 24)
        let nameLength = Int(r.u16(p + 28))
        let extraLength = Int(r.u16(p + 30))
        let commentLength = Int(r.u16(p + 32))
        let disk16 = r.u16(p + 34)
        let offset32 = r.u32(p + 42)
        let next = position + 46 + UInt64(nameLength + extraLength + commentLength)
        guard next <= size else { throw Bad(detail: "压缩包目录中的部件记录超出文件末尾") }
        guard flags & 1 == 0 else { throw Bad(detail: "压缩包中的部件被加密") }

        // The zip64 extended information, read as ZIPFoundation reads it: the first extra block of id 1, holding
        // exactly the fields whose 32-bit (16-bit) value is all ones, in this order.
        var fields: [(kind: Int, size: Int)] = []
        if uncompressed32 == .max { fields.append((0, 8)) }
        if compressed32 == .max { fields.append((1, 8)) }
        if offset32 == .max { fields.append((2, 8)) }
        if disk16 == .max { fields.append((3, 4)) }
        var zip64: [Int: UInt64]?
        let extra = p + 46 + nameLength
        var at = 0
        while at < extraLength - 4 {
            let id = r.u16(extra + at)
            let blockEnd = at + 4 + Int(r.u16(extra + at + 2))
            guard blockEnd <= extraLength else { break }
            if id == 1 {
                if fields.reduce(4, { $0 + $1.size }) == blockEnd - at {
                    var values: [Int: UInt64] = [:]
                    var v = extra + at + 4
                    for f in fields {
                        values[f.kind] = f.size == 8 ? r.u64(v) : UInt64(r.u32(v))
                        v += f.size
                    }
                    zip64 = values
                }
                break
            }
            at = blockEnd
        }
        let isZIP64 = UInt8(truncatingIfNeeded: versionNeeded) >= 45 || zip64 != nil
        func effective(_ kind: Int, _ value32: UInt32) -> UInt64 {
            if isZIP64, let v = zip64?[kind], v > 0 { return v }
            return UInt64(value32)
        }
        let uncompressed = effective(0, uncompressed32)
        let compressed = effective(1, compressed32)
        let local = effective(2, offset32)

        // The local header and the data after it.
        guard local <= size, size - local >= 30, case let l = Int(local), r.u32(l) == localSignature else {
            throw Bad(detail: "压缩包中部件的本地文件头损坏或超出文件末尾")
        }
        let dataStart = local + 30 + UInt64(r.u16(l + 26)) + UInt64(r.u16(l + 28))
        guard dataStart <= size else { throw Bad(detail: "压缩包中部件的本地文件头超出文件末尾") }
        let stored = method == 0
        guard compressed <= size - dataStart, !stored || uncompressed <= size - dataStart else {
            throw Bad(detail: "压缩包中部件的数据超出文件末尾")
        }
        guard uncompressed < 1 << 62 else { throw Bad(detail: "压缩包中部件声明的大小无效") }
        if flags & 8 != 0 {
            let descriptor = dataStart + (stored ? uncompressed : compressed)
            guard descriptor <= size, size - descriptor >= 12 else { throw Bad(detail: "压缩包中部件的数据描述符超出文件末尾") }
        }
        return next
    }

    /// Little-endian integers read from bytes; callers check the range first (a read past the end gives 0).
    private struct LittleEndian {
        let bytes: [UInt8]
        func u16(_ i: Int) -> UInt16 {
            guard i >= 0, i + 2 <= bytes.count else { return 0 }
            return UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
        }
        func u32(_ i: Int) -> UInt32 {
            guard i >= 0, i + 4 <= bytes.count else { return 0 }
            return (0..<4).reduce(0) { $0 | UInt32(bytes[i + $1]) << (8 * $1) }
        }
        func u64(_ i: Int) -> UInt64 {
            guard i >= 0, i + 8 <= bytes.count else { return 0 }
            return (0..<8).reduce(0) { $0 | UInt64(bytes[i + $1]) << (8 * $1) }
        }
    }
}
