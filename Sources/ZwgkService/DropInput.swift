public import DropFile
import Foundation
import SystemPackage
import ZwgkFormats

/// A drop file as read from disk. The daemon, `validate` and `submit` all read files this one way, so
/// `validate` gives exactly the daemon's verdict: a symbolic link is not followed, a FIFO or device is not
/// opened for reading, a file with more than one hard link is refused (as Postfix refuses one in its
/// maildrop: whoever made the link may change the file through its other name after it was taken), and at
/// most one byte past the size limit is read.
public enum DropInput: Sendable {
    /// Nothing at that path (for the daemon: someone took the file back).
    case missing
    /// Not a file zwgk reads (a link, a folder, a FIFO or device); the text says why, as in `NAME.why.txt`.
    case refused(String)
    /// The file could not be read (permissions, an I/O error).
    case unreadable(FS.Failure)
    /// What was read, and the size seen before reading (larger than `bytes.count` for an oversize file).
    case read(bytes: [UInt8], size: Int)

    /// The format a file at `path` is read as: by its extension (any other name is refused when read; JSON here).
    public static func format(of path: String) -> DropFormat {
        DropFormat(fileName: (path as NSString).lastPathComponent) ?? .json
    }

    /// Reads `path` as the daemon reads a file in `incoming/`; `kind` is what a caller's own lstat just saw.
    public static func read(_ path: String, kind: FS.Kind? = nil) -> DropInput {
        switch kind ?? FS.kind(path) {
        case .missing: return .missing
        case .symlink: return .refused(Rejection.symlink)
        case .directory: return .refused(Rejection.directory)
        case .special: return .refused(Rejection.special)
        case .regular(let seen):
            guard DropFormat(fileName: (path as NSString).lastPathComponent) != nil else {
                return .refused(Rejection.notADropFormat((path as NSString).lastPathComponent))
            }
            do {
                // FS.read stops one byte past the limit, so an oversize file is known by the size seen first.
                let (bytes, links) = try FS.read(path, limit: format(of: path).maxBytes)
                if links > 1 { return .refused(Rejection.hardLink(links)) }
                return .read(bytes: bytes, size: max(seen, bytes.count))
            } catch {
                return error.errno == .noSuchFileOrDirectory ? .missing : .unreadable(error)
            }
        }
    }

    /// The content hash the ledger keeps for this input ("" for what has no content).
    var sha256: String {
        if case .read(let bytes, _) = self { return ContentHash.hex(bytes) }
        return ""
    }

    var size: Int {
        if case .read(_, let size) = self { return size }
        return 0
    }

    /// The verdict: the file's records, or the rejection reason as `NAME.why.txt` and `validate` give it.
    /// Ledger lookups go through `context`; a lookup that failed must be checked by the caller afterwards.
    func verdict(format: DropFormat, context: DropFileContext) -> Result<ValidFile, RejectionReason> {
        switch self {
        case .missing:
            return .failure(RejectionReason("  文件不存在或无法访问。"))
        case .refused(let reason):
            return .failure(RejectionReason(reason))
        case .unreadable(let failure):
            return .failure(RejectionReason("  无法读取该文件:\(failure)。请检查文件权限后重新提交。"))
        case .read(let bytes, let size):
            let checked =
                size > format.maxBytes
                ? .failure(Problems([DropFile.tooLarge(size, format: format)]))
                : DropFile.check(bytes, format: format, context: context)
            return checked.mapError { RejectionReason(Rejection.reason($0)) }
        }
    }
}

/// Why a file was refused, in the words of `NAME.why.txt`.
public struct RejectionReason: Error, CustomStringConvertible, Sendable {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }

    /// The reason after a `file:verdict,` lead: on lines of its own when it is an indented list.
    public func after(_ lead: String) -> String { lead + (text.hasPrefix("  ") ? "\n" : "") + text }
}
