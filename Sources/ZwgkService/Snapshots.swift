public import Foundation
public import Ledger
import Reports
public import RubricEngine
import ZwgkFormats

/// Writes period snapshots under `<reports>/<year>/<period>/`: whole or not at all, never silently replaced.
public struct SnapshotWriter {
    public let root: String
    /// Fed as the ledger is read and the files are written; a stop ends the write, its temporary folder removed.
    var progress = WorkProgress()

    public init(root: String) { self.root = root }

    public func folder(_ period: Period) -> String { "\(root)/\(period.year)/\(period.name)" }

    /// Whether a complete snapshot of `period` is in place (its manifest is the last file written).
    public func exists(_ period: Period) -> Bool {
        if case .regular = FS.kind(folder(period) + "/manifest.json") { return true }
        return false
    }

    public enum Outcome: Equatable {
        case written(String)
        case kept(String)
        case replaced(String)
    }

    /// Scores `period` from the ledger and writes its snapshot; an existing one is kept unless `force`. An
    /// approved (审定) year's annual snapshot is frozen: rewritten only by `zwgk approve` (`approving`).
    public func write(_ period: Period, rules: Rules, ledger: Ledger, force: Bool, now: Date, approving: Bool = false) throws -> Outcome {
        let target = folder(period)
        let yearFolder = "\(root)/\(period.year)"
        removeLeftovers(in: yearFolder)
        if exists(period) && !force { return .kept(target) }
        let approvals = period.span == .annual ? try ledger.approvals(year: period.year) : []
        // Not even when it is missing: the approved result is written by `zwgk approve` alone.
        if !approving, let standing = approvals.last, standing.action == .approve {
            throw ServiceError(
                .snapshot,
                "\(period) 的结果已于\(ApprovalWords.localTime(standing.at, timeZone: rules.timeZone)) 审定(审定人 \(standing.by)),"
                    + "快照只由审定生成:快照缺失时请再次运行 zwgk approve --period \(period) --by 姓名 按审定结果重新生成;"
                    + "如确需更改结果,请先撤销审定(zwgk approve --revoke --period \(period) --by 姓名 --note 原因)")
        }
        guard let rubric = rules.rubrics[period.year] else {
            throw ServiceError(.snapshot, "没有\(period.year)年度的考核细则,无法生成快照")
        }
        // Compared with the latest written snapshot of an earlier cutoff: changes, and records that came late.
        let earlier = Schedule.allPeriods(of: period.year).filter { $0.cutoff < period.cutoff && exists($0) }
        let previous = earlier.last.flatMap { p in published(p).map { (period: p, published: $0) } }
        // An annual report compares with the year before, scored first so that only its results are held meanwhile.
        let lastYear = period.span == .annual ? try LastYear.results(before: period.year, rules: rules, ledger: ledger, snapshots: self) : nil
        // The ledger is read once, a record at a time, and never held whole.
        var tally = Tally(rubric: rubric, roster: rules.roster, cutoff: period.cutoff)
        var book = RectificationBook(rubric: rubric, roster: rules.roster, policy: rules.rectification)
        var lateEntries: [LedgerEntry] = []
        var lastSeq: Int64 = 0
        // The records counted: findings and notices dated up to the cutoff, and every retraction. The manifest
        // holds the hash of their own hashes (each the SHA-256 of its canonical form), in ledger order.
        var counted = 0
        var recordsHash = ContentHash()
        // Likewise the rectification reports and re-checks dated up to the cutoff, which the 整改台账 counts.
        var followUps = 0
        var followUpsHash = ContentHash()
        var read = 0
        try ledger.forEachEntry(year: period.year) { entry, sha256 in
            read += 1
            if read & 4095 == 0 { progress.tick() }
            if progress.isStopped { return }  // (the rest is skipped; the step after the read ends the write)
            tally.add(entry)
            book.add(entry)
            lastSeq = entry.seq
            let retraction = entry.record.isRetraction
            if entry.record.isFollowUp {
                if entry.record.date <= period.cutoff {
                    if followUps > 0 { followUpsHash.update("\n") }
                    followUpsHash.update(sha256)
                    followUps += 1
                }
                return
            }
            if retraction || entry.record.date <= period.cutoff {
                if counted > 0 { recordsHash.update("\n") }
                recordsHash.update(sha256)
                counted += 1
            }
            if !retraction, let previous, entry.seq > previous.published.lastSeq, entry.record.date <= previous.period.cutoff {
                lateEntries.append(entry)
            }
        }
        try progress.step()
        var report = ReportContext(standings: tally.standings(), period: period)
        progress.tick()
        report.rectification = book.list(asOf: period.cutoff)
        progress.tick()
        report.grading = rules.grading(report.standings)
        if let lastYear { report.lastYear = YearOverYear.compare(current: report.standings, previous: lastYear) }
        if let previous {
            report.previous = (previous.period, previous.published.units)
            report.lateEntries = lateEntries
        }
        if period.span == .annual { report.approvals = ApprovalWords.history(approvals, timeZone: rules.timeZone) }
        // (An approval's rewrite changes the status, not the results: no "rewritten on request" note.)
        if force, !approving, exists(period), let old = published(period) {
            report.replaced = old.units.mapValues(\.total)
        }

        var manifest = JSONObject()
        manifest.append("year", .number(String(period.year)))
        manifest.append("period", .string(period.name))
        manifest.append("cutoff", .string(period.cutoff.description))
        manifest.append("written_at", .string(Timestamp.iso(now)))
        var rubricInfo = JSONObject()
        rubricInfo.append("version", .string(rubric.version))
        rubricInfo.append("sha256", .string(rules.rubricHashes[period.year] ?? ""))
        manifest.append("rubric", .object(rubricInfo))
        var recordInfo = JSONObject()
        recordInfo.append("count", .number(String(counted)))
        recordInfo.append("last_seq", .number(String(lastSeq)))
        recordInfo.append("sha256", .string(recordsHash.finalize()))
        recordInfo.append("chain_head", .string(try ledger.chainLink(seq: lastSeq) ?? ""))
        manifest.append("records", .object(recordInfo))
        var followUpInfo = JSONObject()
        followUpInfo.append("count", .number(String(followUps)))
        followUpInfo.append("sha256", .string(followUpsHash.finalize()))
        manifest.append("rectification_records", .object(followUpInfo))

        try FS.makeDirectory(yearFolder)
        let temp = "\(yearFolder)/.\(period.name).tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: temp)
        try FS.makeDirectory(temp)
        // scores.xlsx is written on a thread of its own meanwhile (its 扣分明细 has a line per record counted),
        // and waited for before the manifest, or before the folder is removed on a failure.
        let workbook = BackgroundWork { [report, progress = self.progress] in
            try WorkbookFile.write(to: temp + "/scores.xlsx", sheets: ScoresWorkbook.sheetNames(report), failing: .snapshot, progress: progress) {
                ScoresWorkbook.writeSheet($0, of: report, strings: $1, to: &$2)
            }
        }
        do {
            // Each file is streamed to disk and hashed as it is rendered.
            var sums = JSONObject()
            func file(_ name: String, _ render: (inout FileTextStream) -> Void) throws {
                try progress.step()
                var stream = try FileTextStream(creating: temp + "/" + name, progress: progress)
                render(&stream)
                sums.append(name, .string(try stream.finish()))
            }
            try file("scores.json") { ScoresJSON.write(report, to: &$0) }
            try file("scores.csv") { $0.write(ScoresCSV.render(report)) }
            try file("rectification.csv") { RectificationReport.writeCSV(report.rectification!, to: &$0) }
            try file("report.html") { ReportHTML.write(report, to: &$0) }
            try file("summary.md") { $0.write(ReportMarkdown.render(report)) }
            sums.append("scores.xlsx", .string(try workbook.result()))
            Fault.crash(at: "snapshot-files")

            manifest.append("files", .object(sums))
            try FS.writeAtomically(temp + "/manifest.json", JSONWriter.pretty(.object(manifest)), syncFolder: false)
            try FS.syncDirectory(temp)
            Fault.crash(at: "snapshot-manifest")
        } catch {
            _ = try? workbook.result()
            // A half-written folder would only hold space on what is most likely a full disk.
            try? FileManager.default.removeItem(atPath: temp)
            // (A stream cut short by a stop fails its write: the stop is the cause.)
            throw progress.isStopped ? Stopping() : error
        }
        // An approval or revocation recorded meanwhile (`zwgk approve` in another process) wrote its own snapshot:
        // this one, scored and marked before it, must not replace that.
        if period.span == .annual, !approving, try ledger.approvals(year: period.year).count != approvals.count {
            try? FileManager.default.removeItem(atPath: temp)
            throw ServiceError(.snapshot, "生成 \(period) 快照期间该年度的审定状态有变化(另一进程执行了 zwgk approve),本次快照未写入;审定/撤销已写出相应快照")
        }
        if exists(period) {
            // Written meanwhile by another process (`zwgk approve`, say): a write that does not replace on
            // purpose leaves it.
            guard force else {
                try? FileManager.default.removeItem(atPath: temp)
                return .kept(target)
            }
            // One exchange: at every moment a complete snapshot is in place.
            try FS.exchange(temp, target)
            try FS.syncDirectory(yearFolder)
            Fault.crash(at: "snapshot-exchanged")
            // The temporary folder now holds the replaced snapshot.
            try? FileManager.default.removeItem(atPath: temp)
            return .replaced(target)
        }
        // A folder without a manifest is not a snapshot (copied by hand, or made by an older version): set it
        // aside, never mix into it, and remove it once the complete snapshot is in place.
        let stale = "\(yearFolder)/.\(period.name).incomplete-\(getpid())"
        if case .directory = FS.kind(target) { _ = rename(target, stale) }
        guard try FS.renameNoReplace(temp, target) else {
            try? FileManager.default.removeItem(atPath: temp)
            return .kept(target)
        }
        try FS.syncDirectory(yearFolder)
        try? FileManager.default.removeItem(atPath: stale)
        return .written(target)
    }

    /// Removes the folders a writer that died mid-way left in a year's folder: its temporary folder
    /// (`.Q2.tmp-PID`: a half-written snapshot, or after a forced replacement the replaced one) and a set-aside
    /// folder without a manifest (`.Q2.incomplete-PID`). A live writer's are left alone.
    public func removeLeftovers(in yearFolder: String) {
        for name in FS.list(yearFolder) ?? [] where name.hasPrefix(".") {
            guard let dash = name.lastIndex(of: "-"), let pid = Int32(name[name.index(after: dash)...]),
                name.contains(".tmp-") || name.contains(".incomplete-")
            else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: yearFolder + "/" + name)
            }
        }
    }

    /// Every year folder's leftovers (see `removeLeftovers(in:)`).
    public func removeAllLeftovers() {
        for year in FS.list(root) ?? [] where Int(year) != nil { removeLeftovers(in: "\(root)/\(year)") }
    }

    /// The SHA-256 of the written snapshot's manifest (which holds every file's hash); nil when there is none.
    public func manifestHash(_ period: Period) -> String? {
        FileManager.default.contents(atPath: folder(period) + "/manifest.json").map { ContentHash.hex(Array($0)) }
    }

    /// The status (`初评`/`审定`) the written snapshot of `period` states in its scores.json; nil when none.
    public func status(_ period: Period) -> String? { approvalMark(period)?.status }

    /// What a written annual snapshot says of its approval: its status (初评 or 审定) and how many approvals and
    /// revocations it lists.
    public func approvalMark(_ period: Period) -> (status: String, steps: Int)? {
        guard let scores = FileManager.default.contents(atPath: folder(period) + "/scores.json"),
            case .object(let doc)? = try? JSONReader.parse(Array(scores)), case .string(let status)? = doc["status"]
        else { return nil }
        if case .array(let steps)? = doc["approvals"] { return (status, steps.count) }
        return (status, 0)
    }

    /// What a written snapshot published: each unit's total and rank, and the last ledger record it saw.
    func published(_ period: Period) -> (units: [String: (total: Points, rank: Int)], lastSeq: Int64)? {
        guard let manifest = FileManager.default.contents(atPath: folder(period) + "/manifest.json"),
            case .object(let m)? = try? JSONReader.parse(Array(manifest)),
            case .object(let records)? = m["records"],
            case .number(let seq)? = records["last_seq"], let lastSeq = Int64(seq),
            let units = publishedUnits(period)
        else { return nil }
        return (units.mapValues { ($0.total, $0.rank) }, lastSeq)
    }

    /// Each unit a written snapshot's `scores.json` lists, by name: its class, total, rank and grade (if graded).
    public func publishedUnits(_ period: Period) -> [String: PreviousYear.Result]? {
        guard let scores = FileManager.default.contents(atPath: folder(period) + "/scores.json"),
            case .object(let doc)? = try? JSONReader.parse(Array(scores)),
            case .array(let units)? = doc["units"]
        else { return nil }
        var result: [String: PreviousYear.Result] = [:]
        for case .object(let u) in units {
            guard case .string(let name)? = u["unit"], case .string(let unitClass)? = u["class"],
                case .number(let total)? = u["total"], let t = Points(exactly: total),
                case .number(let rank)? = u["rank"], let r = Int(rank)
            else { continue }
            var grade: String?
            if case .string(let g)? = u["grade"] { grade = g }
            result[name] = PreviousYear.Result(name: name, unitClass: unitClass, total: t, rank: r, grade: grade)
        }
        return result
    }

    private func order(_ p: Period) -> Int {
        switch p.span {
        case .quarter(let q): p.year * 10 + q
        case .annual: p.year * 10 + 5
        }
    }

    /// The most recently written snapshot (year, period, manifest time), if any.
    public func latest() -> (Period, String)? {
        var best: (Period, String)?
        for year in FS.list(root) ?? [] {
            guard let y = Int(year) else { continue }
            for name in FS.list("\(root)/\(year)") ?? [] {
                guard let period = Period("\(y)-\(name)"),
                    let data = FileManager.default.contents(atPath: "\(root)/\(year)/\(name)/manifest.json"),
                    case .object(let o)? = try? JSONReader.parse(Array(data)),
                    case .string(let written)? = o["written_at"]
                else { continue }
                // Written at the same moment (a catch-up writes several): the later period is the latest.
                if best == nil || (written, order(period)) > (best!.1, order(best!.0)) { best = (period, written) }
            }
        }
        return best
    }
}
