import Foundation
public import Spreadsheet
import ZwgkFormats

#if canImport(Glibc)
import Glibc
#endif

/// Writes an .xlsx workbook to disk: each sheet is rendered as a stream into a part file in a private
/// folder beside the target, the parts are zipped into the workbook (`WorkbookWriter`), and the part files
/// removed; so memory stays bounded however many rows a sheet has.
public enum WorkbookFile {
    /// Writes the workbook of `sheets` (names, in order) to `path`, which must not exist; `render` writes sheet
    /// `i`'s part, its recurring texts into the shared strings given. Returns the workbook's SHA-256 (hex),
    /// after it is synced to disk.
    @discardableResult
    public static func write(
        to path: String, sheets: [String], failing code: ServiceError.Code,
        render: (Int, SharedStrings, inout FileTextStream) -> Void
    ) throws -> String {
        try write(to: path, sheets: sheets, failing: code, progress: WorkProgress(), render: render)
    }

    /// As above, feeding `progress` as the sheets are written and ending early (throwing `Stopping`) once it is stopped.
    static func write(
        to path: String, sheets: [String], failing code: ServiceError.Code, progress: WorkProgress,
        render: (Int, SharedStrings, inout FileTextStream) -> Void
    ) throws -> String {
        let parts = (path as NSString).deletingLastPathComponent + "/.\((path as NSString).lastPathComponent).parts-\(getpid())"
        try? FileManager.default.removeItem(atPath: parts)
        try FS.makeDirectory(parts)
        defer { try? FileManager.default.removeItem(atPath: parts) }
        var files: [WorkbookWriter.SheetFile] = []
        let strings = SharedStrings()
        for (i, name) in sheets.enumerated() {
            let part = "\(parts)/sheet\(i + 1).xml"
            try progress.step()
            var stream = try FileTextStream(creating: part, progress: progress)
            render(i, strings, &stream)
            _ = try stream.finish()
            files.append(WorkbookWriter.SheetFile(name: name, path: part))
        }
        var sharedPart: String?
        try progress.step()
        if !strings.isEmpty {
            sharedPart = parts + "/sharedStrings.xml"
            var stream = try FileTextStream(creating: sharedPart!)
            strings.write(to: &stream)
            _ = try stream.finish()
        }
        try progress.step()
        do {
            try WorkbookWriter.write(files, sharedStrings: sharedPart, to: path)
        } catch {
            throw ServiceError(errno == ENOSPC ? .diskFull : code, "无法写入工作簿 \(path):\(error)")
        }
        try progress.step()
        return try hashAndSync(path, failing: code, progress: progress)
    }

    /// The SHA-256 of the file at `path`, read in chunks, after syncing it.
    static func hashAndSync(_ path: String, failing code: ServiceError.Code, progress: WorkProgress = WorkProgress()) throws -> String {
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw ServiceError(code, "无法读取刚写入的 \(path)") }
        defer { try? handle.close() }
        var hash = ContentHash()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hash.update(chunk)
            progress.tick()
        }
        try handle.synchronize()
        return hash.finalize()
    }
}
