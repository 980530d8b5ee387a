public import DropFile
public import Foundation
public import Ledger
public import Logging
import RubricEngine
import ZwgkFormats

/// The spool folders: `incoming/` where files are dropped, `accepted/` and `rejected/` where they end.
public struct Spool: Sendable {
    public let root: String
    public var incoming: String { root + "/incoming" }
    public var accepted: String { root + "/accepted" }
    public var rejected: String { root + "/rejected" }

    public init(root: String) { self.root = root }

    /// Creates the folders if needed and checks they can be written; says precisely what is wrong.
    public func prepare() throws(ServiceError) {
        for folder in [incoming, accepted, rejected] {
            do {
                try FS.makeDirectory(folder)
            } catch {
                throw ServiceError(.spool, "投递目录 \(folder) 不存在且无法创建:\(error)。请检查 --spool 的路径和权限")
            }
            guard access(folder, W_OK | X_OK) == 0 else {
                throw ServiceError(.spool, "投递目录 \(folder) 没有写权限(\(String(cString: strerror(errno))),当前用户 uid \(getuid()))。请修改目录权限或挂载方式,或以正确的用户运行")
            }
        }
    }

    /// Whether a name in `incoming/` is ready to take: any name that is not hidden and not a write in progress
    /// (`.tmp`, `.part` and Office's `~$` lock files end or start so). A file zwgk does not read (an `.xls`, a
    /// `.docx`) is ready too: it is answered in `rejected/` with what to do, never left unseen.
    public static func isReady(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("."), !name.hasPrefix("~$") else { return false }
        let lower = name.lowercased()
        return !lower.hasSuffix(".tmp") && !lower.hasSuffix(".part")
    }

    /// Ready names in `incoming/`, in arrival order (status-change time, then name). A name that is not
    /// valid UTF-8 is first renamed in place to a readable one (bad bytes as `%XX`), so it can be processed.
    public func waiting() -> [String] {
        var names: [String] = []
        for raw in FS.listRaw(incoming) ?? [] {
            if let name = String(validating: raw, as: UTF8.self) {
                if Spool.isReady(name) { names.append(name) }
                continue
            }
            let readable = Spool.readableName(raw)
            guard Spool.isReady(readable) else { continue }
            let target = freeName(for: readable, in: incoming)
            if FS.renameRaw(in: incoming, raw, to: target) { names.append(target) }
        }
        return inArrivalOrder(names)
    }

    /// Names in the order they arrived in `incoming/` (status-change time, then name), each looked at once.
    private func inArrivalOrder(_ names: [String]) -> [String] {
        names.map { ($0, FS.changeTime(incoming + "/" + $0)) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map(\.0)
    }

    /// `raw` with every byte that is not part of valid UTF-8 written as `%XX`.
    static func readableName(_ raw: [UInt8]) -> String {
        var out = ""
        var rest = raw[...]
        while !rest.isEmpty {
            let bad = DropFile.firstInvalidUTF8(Array(rest))
            out += String(decoding: rest.prefix(bad), as: UTF8.self)
            rest = rest.dropFirst(bad)
            if let b = rest.first {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
                rest = rest.dropFirst()
            }
        }
        return out
    }

    /// Ready names in `incoming/` (names that are not UTF-8 counted as they would be after renaming), without
    /// changing anything: for `zwgk status`.
    public func readyNames() -> [String] {
        inArrivalOrder(
            (FS.listRaw(incoming) ?? []).map { String(validating: $0, as: UTF8.self) ?? Spool.readableName($0) }
                .filter(Spool.isReady))
    }

    /// The most bytes of a name zwgk gives a file in `incoming/`, `accepted/` or `rejected/`: a file system
    /// allows 255, and `NAME.why.txt` must fit beside it.
    static let nameMax = 255 - ".why.txt".utf8.count

    /// A free name in `folder` for `name`: the name itself, else `stem~2.json`, `stem~3.xlsx`, … (the extension
    /// kept), its stem shortened where needed so that it fits in ``nameMax`` bytes.
    func freeName(for name: String, in folder: String) -> String {
        let format = DropFormat(fileName: name)
        let stem = format.map { String(name.dropLast($0.rawValue.count + 1)) } ?? name
        let ext = format.map { String(name.suffix($0.rawValue.count + 1)) } ?? ""
        var n = 1
        while true {
            let suffix = (n == 1 ? "" : "~\(n)") + ext
            let candidate = FileName.shortened(stem, toFit: Spool.nameMax - suffix.utf8.count) + suffix
            if case .missing = FS.kind(folder + "/" + candidate) { return candidate }
            n += 1
        }
    }

    /// Moves `name` from `incoming/` into `folder` without replacing anything; returns the name it got there.
    func move(_ name: String, to folder: String, why: String? = nil) throws(FS.Failure) -> String {
        while true {
            let target = freeName(for: name, in: folder)
            if let why {
                try FS.writeAtomically(folder + "/" + target + ".why.txt", Array(why.utf8), syncFolder: false)
            }
            if try FS.renameNoReplace(incoming + "/" + name, folder + "/" + target) { return target }
        }
    }
}

extension Spool {
    /// Places `bytes` into `incoming/` safely: written under a hidden temporary name, synced, then renamed
    /// to `name` (or a free variant of it). Returns the name it got.
    public func place(_ bytes: [UInt8], as name: String) throws(FS.Failure) -> String {
        let temp = incoming + "/" + FS.temporaryName(for: name)
        try FS.writeAtomically(temp, bytes, syncFolder: false)
        while true {
            let target = freeName(for: name, in: incoming)
            if try FS.renameNoReplace(temp, incoming + "/" + target) {
                try FS.syncDirectory(incoming)
                return target
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
