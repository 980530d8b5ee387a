import Foundation
public import Ledger
import RubricEngine
import SystemPackage
import ZwgkFormats

/// The tamper check behind `zwgk verify` and the daemon's check at start: the ledger's records against
/// their hashes and hash chains, the approvals against the chains (`Ledger.checkChains`), and every
/// snapshot under the reports folder against its manifest: the records it counted (count, hash, last seq,
/// chain head, recomputed from the ledger as `SnapshotWriter` computed them) and each file's SHA-256.
public struct Integrity: Sendable {
    /// What is wrong, each naming the record (seq, year, id), approval or file; empty when all is well.
    public var problems: [String] = []
    /// Files that could not be read (an I/O error, a permission): no evidence of tampering, but not checked.
    public var unreadable: [String] = []
    public var records = 0
    public var years: [Int] = []
    public var approvals = 0
    public var snapshots = 0
    public var files = 0

    public var ok: Bool { problems.isEmpty }
    /// Whether every file could be read (else `unreadable` names those that could not).
    public var complete: Bool { unreadable.isEmpty }

    /// What was checked, in numbers.
    public var summary: String {
        "已校验账本记录 \(records) 条(\(years.count) 个年度" + (years.isEmpty ? "" : ":\(years.map(String.init).joined(separator: "、"))")
            + "),审定记录 \(approvals) 条,快照 \(snapshots) 个(文件 \(files) 个)"
    }

    /// Checks `ledger` (none yet: nothing to check there) and the snapshots under `reports`, for `year` only
    /// when given. Manifests are read before the ledger, so a snapshot written meanwhile is not mistaken
    /// for a ledger that lost records.
    public static func check(ledger: Ledger?, reports: String, year: Int? = nil, timeZone: String = "Asia/Shanghai") throws(LedgerError) -> Integrity {
        var result = Integrity()
        var manifests = Manifest.all(under: reports, year: year, problems: &result.problems, unreadable: &result.unreadable)
        result.snapshots = manifests.count
        for m in manifests {
            for (name, expected) in m.files {
                result.files += 1
                let path = m.folder + "/" + name
                let actual: String
                switch fileHash(path) {
                case .success(let hash): actual = hash
                case .failure(let errno) where errno == .noSuchFileOrDirectory:
                    result.problems.append("报告文件 \(path) 不存在(被删除或移走)")
                    continue
                case .failure(let errno):
                    result.unreadable.append("报告文件 \(path) 无法读取(\(errno)),未能核对")
                    continue
                }
                if actual != expected {
                    result.problems.append("报告文件 \(path) 与快照清单中的哈希不符:文件被改动过")
                }
            }
            for name in FS.list(m.folder) ?? [] where name != "manifest.json" && m.files[name] == nil && !name.hasPrefix(".") {
                result.problems.append("快照目录 \(m.folder) 中多出了清单上没有的文件 \(name)")
            }
        }
        guard let ledger else {
            for m in manifests where m.counted.count > 0 {
                result.problems.append("快照 \(m.folder) 记有 \(m.counted.count) 条记录,但状态目录中没有账本")
            }
            return result
        }
        let check = try ledger.checkChains(year: year) { row in
            for i in manifests.indices where manifests[i].year == row.year && row.seq <= manifests[i].lastSeq {
                manifests[i].add(row)
            }
        }
        result.problems += check.findings.map(\.description)
        // A ledger not yet upgraded has no chains to read: it says so, and the manifests cannot be recomputed.
        guard ledger.hasChains else { return result }
        for pin in try ledger.brokenApprovedSnapshotLinks(year: year) {
            result.problems.append("账本审定快照登记 #\(pin.id)(\(pin.year)年度)与其链值不符:这一条(或该年度在它之前的某条登记)被改动、删除或插入过")
        }
        result.records = check.records
        result.years = check.years
        result.approvals = check.approvals
        for m in manifests { result.problems += m.mismatches() }
        // An approved year's annual snapshot is the one `zwgk approve` wrote: in place, and marked 审定. And an
        // annual snapshot lists the approvals and revocations the ledger has (each rewrote it): one the ledger
        // lost was removed behind its back.
        let writer = SnapshotWriter(root: reports)
        let annualYears = Set(manifests.filter { $0.folder.hasSuffix("/annual") }.map(\.year))
        for y in Set(check.years).union(annualYears).sorted() where year == nil || y == year {
            let history = try ledger.approvals(year: y)
            let standing = history.last.flatMap { $0.action == .approve ? $0 : nil }
            let annual = Period(year: y, span: .annual)
            let folder = writer.folder(annual)
            let mark = writer.approvalMark(annual)
            if let standing {
                let when = ApprovalWords.localTime(standing.at, timeZone: timeZone)
                let pin = try ledger.approvedSnapshots(year: y).last { $0.approvalID == standing.id }
                if !annualYears.contains(y) {
                    result.problems.append("\(y)年度已审定(\(when),审定人 \(standing.by)),但全年快照 \(folder) 不存在或没有清单(被删除或移走)")
                } else if mark?.status != "审定" {
                    result.problems.append("\(y)年度已审定(\(when),审定人 \(standing.by)),但全年快照 \(folder) 不是审定后写出的那一份(未标注“审定”):被替换过")
                } else if let pin, pin.manifestSHA256 != writer.manifestHash(annual) {
                    result.problems.append("全年快照 \(folder) 的清单与审定时登记在账本中的不符:审定后的快照(文件连同清单)被改动或替换过")
                } else if pin == nil {
                    result.problems.append(
                        "\(y)年度已审定(\(when),审定人 \(standing.by)),但审定后的全年快照没有登记在账本中(审定未完成,或登记被删除):"
                            + "请再次运行 zwgk approve --period \(y)-annual --by 姓名")
                }
            }
            if let mark, annualYears.contains(y), ledger.hasChains, mark.steps != history.count || (mark.status == "审定") != (standing != nil) {
                result.problems.append(
                    "全年快照 \(folder) 记载审定/撤销 \(mark.steps) 次(\(mark.status)),账本中却有 \(history.count) 次"
                        + (standing == nil ? "(未审定)" : "(已审定)") + ":账本的审定记录被删除或插入过,或快照被替换过")
            }
        }
        return result
    }
}

/// The SHA-256 of the file at `path`, read a megabyte at a time (a large year's report.html is hundreds of
/// MB); the error when it cannot be opened or read (an error is never taken for the end of the file).
private func fileHash(_ path: String) -> Result<String, Errno> {
    let fd: FileDescriptor
    do {
        fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
    } catch {
        return .failure(error as? Errno ?? .ioError)
    }
    defer { try? fd.close() }
    var hash = ContentHash()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n: Int
        do {
            n = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
        } catch {
            return .failure(error as? Errno ?? .ioError)
        }
        if n == 0 { return .success(hash.finalize()) }
        hash.update(buffer[..<n])
    }
}

/// A snapshot's manifest as written, and the same figures recomputed from the ledger.
private struct Manifest {
    var folder: String
    var year: Int
    var cutoff: Day
    var lastSeq: Int64
    var chainHead: String?
    var files: [String: String]
    var counted: (count: Int, sha256: String)
    var followUps: (count: Int, sha256: String)?

    // Recomputed.
    var seenLast: Int64 = 0
    var seenChain = ""
    var count = 0
    var hash = ContentHash()
    var followUpCount = 0
    var followUpHash = ContentHash()

    /// Every snapshot folder of the years under `reports` (`year` only, when given).
    static func all(under reports: String, year: Int?, problems: inout [String], unreadable: inout [String]) -> [Manifest] {
        var out: [Manifest] = []
        for y in (FS.list(reports) ?? []).compactMap(Int.init).sorted() where year == nil || y == year {
            for name in (FS.list("\(reports)/\(y)") ?? []).sorted() where Period("\(y)-\(name)") != nil {
                let folder = "\(reports)/\(y)/\(name)"
                guard let data = FileManager.default.contents(atPath: folder + "/manifest.json") else {
                    if case .missing = FS.kind(folder + "/manifest.json") {
                        problems.append("快照目录 \(folder) 没有清单 manifest.json(被删除?),无法核对")
                    } else {
                        unreadable.append("快照清单 \(folder)/manifest.json 无法读取(\(Errno(rawValue: errno))),未能核对")
                    }
                    continue
                }
                guard let m = Manifest(folder: folder, json: Array(data)) else {
                    problems.append("快照清单 \(folder)/manifest.json 无法读取或缺少字段:清单被改动过")
                    continue
                }
                out.append(m)
            }
        }
        return out
    }

    init?(folder: String, json: [UInt8]) {
        guard case .object(let o)? = try? JSONReader.parse(json),
            case .number(let y)? = o["year"], let year = Int(y),
            case .string(let c)? = o["cutoff"], let cutoff = Day(c),
            case .object(let r)? = o["records"],
            case .number(let n)? = r["count"], let count = Int(n),
            case .number(let l)? = r["last_seq"], let lastSeq = Int64(l),
            case .string(let sha)? = r["sha256"],
            case .object(let files)? = o["files"]
        else { return nil }
        self.folder = folder
        self.year = year
        self.cutoff = cutoff
        self.lastSeq = lastSeq
        if case .string(let head)? = r["chain_head"] { chainHead = head }
        var sums: [String: String] = [:]
        for member in files.members {
            guard case .string(let s) = member.value else { return nil }
            sums[member.key] = s
        }
        self.files = sums
        counted = (count, sha)
        // (Snapshots written before the 整改台账 have no rectification records to check.)
        if case .object(let f)? = o["rectification_records"] {
            guard case .number(let n)? = f["count"], let fCount = Int(n), case .string(let fSha)? = f["sha256"] else { return nil }
            followUps = (fCount, fSha)
        }
    }

    /// A record of the year at or before the snapshot's last seq, counted as `SnapshotWriter` counts it.
    mutating func add(_ row: CheckedRow) {
        seenLast = row.seq
        seenChain = row.chain
        guard let record = row.record else { return }
        if record.isFollowUp {
            if record.date <= cutoff {
                if followUpCount > 0 { followUpHash.update("\n") }
                followUpHash.update(row.sha256)
                followUpCount += 1
            }
        } else if record.isRetraction || record.date <= cutoff {
            if count > 0 { hash.update("\n") }
            hash.update(row.sha256)
            count += 1
        }
    }

    func mismatches() -> [String] {
        var out: [String] = []
        let manifest = "快照清单 \(folder)/manifest.json"
        if seenLast != lastSeq {
            out.append("\(manifest) 记下的最后一条记录是 seq \(lastSeq),账本中\(year)年度至此的最后一条却是 seq \(seenLast):有记录被删除")
        }
        if let chainHead, seenLast == lastSeq, chainHead != seenChain {
            out.append("\(manifest) 记下的链头与账本中 seq \(lastSeq) 的链值不符:\(year)年度此前的记录被改动、删除或插入过")
        }
        if count != counted.count || hash.finalize() != counted.sha256 {
            out.append(
                "\(manifest) 记下计分记录 \(counted.count) 条,账本中重算为 \(count) 条"
                    + (count == counted.count ? "(条数相同但哈希不符:记录内容被改动过)" : ":有记录被删除或插入"))
        }
        if let followUps, followUpCount != followUps.count || followUpHash.finalize() != followUps.sha256 {
            out.append(
                "\(manifest) 记下整改报告与复查记录 \(followUps.count) 条,账本中重算为 \(followUpCount) 条"
                    + (followUpCount == followUps.count ? "(条数相同但哈希不符:记录内容被改动过)" : ":有记录被删除或插入"))
        }
        return out
    }
}
