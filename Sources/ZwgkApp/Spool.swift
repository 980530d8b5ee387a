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
    public func prepare() throws(StartError) {
        for folder in [incoming, accepted, rejected] {
            do {
                try FS.makeDirectory(folder)
            } catch {
                throw StartError("投递目录 \(folder) 不存在且无法创建:\(error)。请检查 --spool 的路径和权限")
            }
            guard access(folder, W_OK | X_OK) == 0 else {
                throw StartError("投递目录 \(folder) 没有写权限(\(String(cString: strerror(errno))),当前用户 uid \(getuid()))。请修改目录权限或挂载方式,或以正确的用户运行")
            }
        }
    }

    /// Whether a name in `incoming/` is a drop file ready to take: `*.json`, not hidden, not a write in progress.
    public static func isReady(_ name: String) -> Bool {
        name.hasSuffix(".json") && !name.hasPrefix(".") && name.count > 5
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
        inArrivalOrder((FS.listRaw(incoming) ?? []).map { String(validating: $0, as: UTF8.self) ?? Spool.readableName($0) }
            .filter(Spool.isReady))
    }

    /// A free name in `folder` for `name`: the name itself, else `stem~2.json`, `stem~3.json`, …
    func freeName(for name: String, in folder: String) -> String {
        if case .missing = FS.kind(folder + "/" + name) { return name }
        let stem = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        let ext = name.hasSuffix(".json") ? ".json" : ""
        var n = 2
        while true {
            let candidate = "\(stem)~\(n)\(ext)"
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

/// The text of a rejection, the same in `NAME.why.txt` and from `zwgk validate`.
public enum Rejection {
    public static func problemLines(_ problems: [Problem]) -> String {
        problems.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n")
    }

    static func whyText(name: String, receivedAt: String, reason: String) -> String {
        """
        文件:\(name)
        收到时间:\(receivedAt)(UTC)
        结果:拒收。整个文件未被合并,其中任何记录都没有计分。
        原因:
        \(reason)

        处理办法:请按上述说明修改文件(可先用 zwgk validate 文件名 检查),再重新放入 incoming/ 目录或用 zwgk submit 提交。

        """
    }

    /// The first problem of a stored reason, for one-line messages.
    static func firstProblem(_ reason: String?) -> String {
        let lines = (reason ?? "").split(separator: "\n")
        return (lines.count > 1 ? lines[1] : lines.first ?? "").trimmingCharacters(in: .whitespaces)
    }

    static func reason(_ problems: [Problem]) -> String {
        "共\(problems.count)处问题:\n" + problemLines(problems)
    }

    static let symlink = "  这是一个符号链接(快捷方式)。为安全起见,zwgk 不会读取链接指向的文件。请把文件本身复制到 incoming/ 目录。"
    static let directory = "  这是一个文件夹,不是文件。请把其中的 .json 文件逐个放入 incoming/ 目录。"
    static let special = "  这不是普通文件(可能是管道或设备文件),无法作为投递文件读取。"
}

/// What one ingest pass did.
public struct IngestSummary: Sendable, Equatable {
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    public var recovered = 0
    public var records = 0
    /// Files left in `incoming/` for now because a writer still has them open.
    public var deferred = 0
    public var files: Int { accepted + duplicates + rejected }
}

/// Takes drop files from `incoming/` into the ledger, in batches: each batch of decisions is committed
/// in one transaction, then the files are moved. A file decided but not yet moved when the process
/// stopped is recognised by name and hash, and its move is finished without deciding it again.
public final class Ingest {
    let spool: Spool
    let ledger: Ledger
    var rules: Rules
    let logger: Logger
    let now: @Sendable () -> Date
    /// Files per transaction.
    var batchSize = 256
    /// A test switch: `ZWGK_FAULT=after-read|after-commit|after-move` kills the process with SIGKILL at that
    /// point; `ZWGK_FAULT=stuck` makes the loop hang on its first file, so that a watchdog must fire.
    let fault = ProcessInfo.processInfo.environment["ZWGK_FAULT"]
    /// Called after each batch with the files done so far in this run.
    var progress: (Int) -> Void = { _ in }

    public init(spool: Spool, ledger: Ledger, rules: Rules, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.spool = spool
        self.ledger = ledger
        self.rules = rules
        self.logger = logger
        self.now = now
    }

    /// Processes `names` from `incoming/` in the given order. With `checkWriters`, a file some process
    /// still has open for writing is left for later (names found by a scan; a close-after-write event
    /// already says the writer is done).
    public func run(_ names: [String], checkWriters: Bool = true) throws -> IngestSummary {
        var summary = IngestSummary()
        var start = 0
        while start < names.count {
            let batch = Array(names[start..<min(start + batchSize, names.count)])
            try process(batch, checkWriters: checkWriters, into: &summary)
            start += batch.count
            progress(start)
        }
        return summary
    }

    /// A file decided before a crash, whose move is finished now without deciding it again.
    private func recovered(_ earlier: FileEntry, name: String, into summary: inout IngestSummary) -> Pending {
        summary.recovered += 1
        summary.records += earlier.newRecords
        let decision = Ledger.Decision(receipt: earlier.receipt, outcome: earlier.outcome,
                                       duplicateRecords: earlier.duplicateRecords, reason: earlier.reason)
        return Pending(name: name, decision: decision, journalID: earlier.id, recordCount: earlier.newRecords)
    }

    /// Journal rows left without a destination by a crash whose file is no longer in `incoming/` were moved
    /// before the crash: note that, so a later file of the same name and content is decided afresh.
    public func settleUnfinished() throws {
        let moved = try ledger.allUnfinished().filter { entry in
            if case .missing = FS.kind(spool.incoming + "/" + entry.receipt.name) { return true }
            return false
        }
        if !moved.isEmpty { try ledger.markStored(moved.map { ($0.id, "") }) }
    }

    private func crash(at point: String) {
        if fault == point { kill(getpid(), SIGKILL) }
    }

    private struct Pending {
        var name: String
        var decision: Ledger.Decision
        /// Set when the ledger already holds the decision (recovery after a crash).
        var journalID: Int64?
        /// Records the file added (known from the journal when recovered).
        var recordCount: Int?
    }

    private func process(_ names: [String], checkWriters: Bool, into summary: inout IngestSummary) throws {
        var pending: [Pending] = []
        var overlay = Overlay()
        for name in names {
            if fault == "stuck" { while true { sleep(60) } }
            let path = spool.incoming + "/" + name
            let receivedAt = Timestamp.iso(now())
            let kind = FS.kind(path)
            switch kind {
            case .missing:
                continue
            case .symlink, .directory, .special:
                if let earlier = try ledger.unfinished(name: name, sha256: "") {
                    pending.append(recovered(earlier, name: name, into: &summary))
                    continue
                }
                let reason = kind == .symlink ? Rejection.symlink : kind == .directory ? Rejection.directory : Rejection.special
                let receipt = FileReceipt(name: name, sha256: "", size: 0, receivedAt: receivedAt)
                pending.append(Pending(name: name, decision: .init(receipt: receipt, outcome: .rejected, reason: reason)))
                continue
            case .regular:
                if checkWriters && FS.stillBeingWritten(path, now: now()) {
                    summary.deferred += 1
                    continue
                }
            }
            let bytes: [UInt8]
            do {
                bytes = try FS.read(path, limit: DropFile.maxBytes)
            } catch {
                if error.code == ENOENT { continue }
                let receipt = FileReceipt(name: name, sha256: "", size: 0, receivedAt: receivedAt)
                pending.append(Pending(name: name, decision: .init(receipt: receipt, outcome: .rejected,
                                                                    reason: "  无法读取该文件:\(error)。请检查文件权限后重新提交。")))
                continue
            }
            // FS.read stops one byte past the limit, so an oversize file is known by the size seen before reading.
            var size = bytes.count
            if case .regular(let seen) = kind { size = max(seen, size) }
            let receipt = FileReceipt(name: name, sha256: SHA256.hex(bytes), size: size, receivedAt: receivedAt)
            if let earlier = try ledger.unfinished(name: name, sha256: receipt.sha256) {
                // The same file, still here since it was decided: finish its move. A file of that name and
                // content that arrived after the decision is a new drop and is decided afresh.
                if let decided = Timestamp.parse(earlier.receipt.receivedAt),
                   Double(FS.changeTime(path)) / 1e9 <= decided.timeIntervalSince1970 + 0.001 {
                    pending.append(recovered(earlier, name: name, into: &summary))
                    continue
                }
                try ledger.markStored([(earlier.id, "")])
            }
            // A ledger that cannot be read must not produce a verdict ("no such record"): the pass fails and is retried.
            let lookups = LookupErrors()
            let verdict = size > DropFile.maxBytes
                ? .failure(Problems([DropFile.tooLarge(size)]))
                : DropFile.check(bytes, context: rules.context(ledger: ledger, errors: lookups, pending: overlay))
            if let error = lookups.first { throw error }
            switch verdict {
            case .success(let valid):
                overlay.add(valid.new)
                let outcome: FileOutcome = valid.new.isEmpty ? .duplicate : .accepted
                pending.append(Pending(name: name, decision: .init(receipt: receipt, outcome: outcome, newRecords: valid.new,
                                                                    duplicateRecords: valid.duplicates.count)))
            case .failure(let problems):
                pending.append(Pending(name: name, decision: .init(receipt: receipt, outcome: .rejected,
                                                                    reason: Rejection.reason(problems.all))))
            }
        }
        guard !pending.isEmpty else { return }
        crash(at: "after-read")

        let fresh = pending.indices.filter { pending[$0].journalID == nil }
        let ids = try ledger.commit(fresh.map { pending[$0].decision })
        for (i, id) in zip(fresh, ids) { pending[i].journalID = id }
        crash(at: "after-commit")

        var stored: [(Int64, String)] = []
        for p in pending {
            let d = p.decision
            let target: String
            if d.outcome == .rejected {
                target = try spool.move(p.name, to: spool.rejected,
                                        why: Rejection.whyText(name: p.name, receivedAt: d.receipt.receivedAt, reason: d.reason ?? ""))
                summary.rejected += 1
                logger.warning("拒收 \(p.name):\(Rejection.firstProblem(d.reason))",
                               metadata: Event.fileRejected.metadata(["file": "\(p.name)", "stored_as": "\(target)", "reason": "\(d.reason ?? "")"]))
            } else {
                target = try spool.move(p.name, to: spool.accepted)
                if d.outcome == .accepted { summary.accepted += 1 } else { summary.duplicates += 1 }
                summary.records += d.newRecords.count
                let event: Event = d.outcome == .accepted ? .fileAccepted : .fileDuplicate
                logger.info("\(d.outcome == .accepted ? "接收" : "重复(未改变得分)") \(p.name):新记录 \(p.recordCount ?? d.newRecords.count) 条",
                            metadata: event.metadata(["file": "\(p.name)", "stored_as": "\(target)", "records": "\(d.newRecords.count)",
                                                      "duplicates": "\(d.duplicateRecords)",
                                                      "record_ids": "\(d.newRecords.prefix(20).map(\.id).joined(separator: ","))"]))
            }
            stored.append((p.journalID!, target))
            crash(at: "after-move")
        }
        for folder in [spool.incoming, spool.accepted, spool.rejected] { try FS.syncDirectory(folder) }
        try ledger.markStored(stored)
    }
}

extension Spool {
    /// Places `bytes` into `incoming/` safely: written under a hidden temporary name, synced, then renamed
    /// to `name` (or a free variant of it). Returns the name it got.
    public func place(_ bytes: [UInt8], as name: String) throws -> String {
        let temp = incoming + "/.\(name).\(getpid()).tmp"
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
