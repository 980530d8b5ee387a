import Foundation
import ZIPFoundation

/// The parts of a zip container held in memory, read one at a time with their unpacked size bounded before
/// unpacking (from the central directory) and while unpacking (a part that unpacks past what it declared, or
/// past the limit, is stopped), so a zip bomb costs neither memory nor time. The container format itself is
/// ZIPFoundation's.
struct ZipParts {
    /// The largest unpacked part read.
    static let partLimit: UInt64 = 48 << 20
    /// The largest declared unpacked size of all parts together.
    static let totalLimit: UInt64 = 256 << 20
    /// The most entries a workbook may have.
    static let entryLimit = 10_000

    private let archive: Archive
    private let entries: [String: Entry]

    init(_ bytes: [UInt8]) throws(WorkbookError) {
        // Office encrypts a workbook by wrapping it in an OLE compound file (as is the old .xls format).
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            if ZipParts.contains(bytes, utf16: "EncryptedPackage") {
                throw WorkbookError(.encrypted, "工作簿设置了打开密码(已加密),无法读取。请在 Excel/WPS 中取消密码(文件→信息→保护工作簿→用密码进行加密,清空密码)后另存为 .xlsx 再提交。")
            }
            throw WorkbookError(.legacyXLS, "这是旧版 Excel 97-2003 工作簿(.xls),不是 .xlsx。请在 Excel/WPS 中“另存为”Excel 工作簿(*.xlsx)后再提交。")
        }
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            throw WorkbookError(.notZip, "文件不是 .xlsx 工作簿(内容不是 xlsx 的压缩包格式,可能只是改了扩展名,或文件不完整)。请在 Excel/WPS 中另存为 Excel 工作簿(*.xlsx)后再提交。")
        }
        do {
            try ZipLayout.check(bytes, entryLimit: ZipParts.entryLimit)
        } catch {
            throw WorkbookError(.damaged, "文件不是完整的 .xlsx 工作簿(压缩包结构有误:\(error.detail)),可能在复制或下载时损坏,或被篡改。请在 Excel/WPS 中重新另存为 .xlsx 后再提交。")
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw WorkbookError(.notZip, "文件不是完整的 .xlsx 工作簿(压缩包无法打开,可能在复制或下载时被截断)。请重新保存后再提交。")
        }
        var entries: [String: Entry] = [:]
        var total: UInt64 = 0
        for entry in archive {
            entries[entry.path] = entry
            total &+= entry.uncompressedSize
            if entries.count > ZipParts.entryLimit {
                throw WorkbookError(.tooLarge, "工作簿中的部件超过\(ZipParts.entryLimit)个,不像是正常的考核记录表,已拒收。")
            }
            if entry.uncompressedSize > ZipParts.partLimit || total > ZipParts.totalLimit {
                throw WorkbookError(
                    .tooLarge, "工作簿解压后过大(部件“\(entry.path)”声明解压后为\(entry.uncompressedSize)字节,上限\(ZipParts.partLimit)字节),可能是压缩炸弹或数据过多,已拒收且未解压。请把记录拆分到多个文件中再提交。")
            }
        }
        self.archive = archive
        self.entries = entries
    }

    /// Whether a part of that path exists.
    func has(_ path: String) -> Bool { entries[path] != nil }

    /// The unpacked bytes of the part at `path`; nil when there is none.
    func read(_ path: String) throws(WorkbookError) -> Data? {
        guard let entry = entries[path] else { return nil }
        let declared = entry.uncompressedSize
        var data = Data()
        data.reserveCapacity(Int(declared))
        do {
            // ZIPFoundation returns the CRC of what it unpacked to a consumer, but (unlike its extract to a file)
            // does not compare it with the entry's: that is done here.
            let crc = try archive.extract(entry, skipCRC32: false) { chunk in
                if UInt64(data.count + chunk.count) > declared { throw Overrun() }
                data.append(chunk)
            }
            guard crc == entry.checksum, UInt64(data.count) == declared else { throw BadChecksum() }
        } catch is BadChecksum {
            throw WorkbookError(.damaged, "工作簿部件“\(path.prefix(60))”的校验值(CRC)或大小与内容不符,文件在复制或下载时已损坏,或被篡改。请重新保存后再提交。")
        } catch is Overrun {
            throw WorkbookError(.tooLarge, "工作簿部件“\(path)”解压后超过其声明的大小(\(declared)字节),文件已损坏或被篡改,已拒收。")
        } catch {
            throw WorkbookError(.damaged, "工作簿部件“\(path)”无法解压(文件已损坏,或使用了不支持的压缩/加密方式)。请在 Excel/WPS 中重新另存为 .xlsx 后再提交。")
        }
        return data
    }

    private struct Overrun: Error {}
    private struct BadChecksum: Error {}

    /// Whether `bytes` contains `text` in UTF-16LE (a compound file's directory names).
    static func contains(_ bytes: [UInt8], utf16 text: String) -> Bool {
        let needle = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var i = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == first && bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
