public import RubricEngine
import ZwgkFormats

/// Something wrong found in the ledger by `Ledger.checkChains`: which record (seq, year, id) or approval,
/// and what, in words for the operator.
public struct LedgerFinding: Sendable, Equatable, CustomStringConvertible {
    public var seq: Int64?
    public var year: Int?
    public var id: String?
    /// The approval journal entry concerned, if it is one.
    public var approvalID: Int64?
    public var message: String

    public init(seq: Int64? = nil, year: Int? = nil, id: String? = nil, approvalID: Int64? = nil, message: String) {
        self.seq = seq
        self.year = year
        self.id = id
        self.approvalID = approvalID
        self.message = message
    }

    public var description: String {
        var place = "账本"
        if let approvalID {
            place += "审定记录 #\(approvalID)" + (year.map { "(\($0)年度)" } ?? "")
        } else if let seq {
            place += "记录 seq \(seq)"
            if let year { place += "(\(year)年度" + (id.map { ",id “\($0)”" } ?? "") + ")" }
        }
        return "\(place):\(message)"
    }
}

/// What `Ledger.checkChains` read and found.
public struct ChainCheck: Sendable {
    public var findings: [LedgerFinding] = []
    /// Records read, years they are in, and approval journal entries checked.
    public var records = 0
    public var years: [Int] = []
    public var approvals = 0
    /// Each year's last stored link and its record's seq.
    public var heads: [Int: (chain: String, seq: Int64)] = [:]
}

/// A record as `Ledger.checkChains` reads it, for a caller checking more (snapshot manifests) in the same pass.
public struct CheckedRow {
    public var seq: Int64
    public var year: Int
    /// The record its body decodes to; nil when it does not.
    public var record: Record?
    /// Its stored content hash and chain link.
    public var sha256: String
    public var chain: String
}

extension Ledger {
    /// Re-reads every record of `year` (all when nil) in seq order, in one read transaction, and checks: the
    /// body against its stored hash, the columns derived from the body (year, id, type, date, target), the
    /// year's hash chain (`Chain`), that no seq is missing (whole ledger only), each approval's chain head,
    /// last seq and count, and that no record came after a standing approval. `visit` sees each row.
    public func checkChains(year only: Int? = nil, visit: (CheckedRow) -> Void = { _ in }) throws(LedgerError) -> ChainCheck {
        guard hasChains else {
            var check = ChainCheck()
            check.findings.append(LedgerFinding(message: "账本是旧版本(结构版本 \(schemaVersion)),还没有链值,无法校验;启动一次服务(systemctl start zwgk)即会就地升级"))
            return check
        }
        do {
            try db.execute("BEGIN")
            defer { try? db.execute("COMMIT") }
            return try checkChainsInTransaction(only, visit: visit)
        } catch {
            throw fail("校验", error)
        }
    }

    private func checkChainsInTransaction(_ only: Int?, visit: (CheckedRow) -> Void) throws -> ChainCheck {
        var check = ChainCheck()
        let approvals = try self.approvals(year: only)
        check.approvals = approvals.count
        // The approval journal's own chains, one per year.
        var approvalLinks: [Int: String] = [:]
        for a in approvals {
            let expected = Chain.link(previous: approvalLinks[a.year] ?? "", a)
            if a.chain != expected {
                check.findings.append(
                    LedgerFinding(
                        year: a.year, approvalID: a.id,
                        message:
                            "审定记录与其链值不符:这一条(或该年度在它之前的某条审定记录)被改动、删除或插入过"))
            }
            approvalLinks[a.year] = a.chain
        }
        // Approvals by the record they end at: (year, last seq).
        var pinned: [Int: [Int64: [Approval]]] = [:]
        for a in approvals { pinned[a.year, default: [:]][a.lastSeq, default: []].append(a) }
        var standing: [Int: Approval] = [:]
        for a in approvals { standing[a.year] = a.action == .approve ? a : nil }
        var counts: [Int: Int] = [:]
        var expectedSeq: Int64 = 1
        var years = Set<Int>()

        func note(_ seq: Int64?, _ year: Int?, _ id: String?, _ message: String) {
            check.findings.append(LedgerFinding(seq: seq, year: year, id: id, message: message))
        }
        func checkPins(year: Int, at seq: Int64, chain: String) {
            for a in pinned[year]?[seq] ?? [] {
                if a.chainHead != chain {
                    check.findings.append(
                        LedgerFinding(
                            year: year, approvalID: a.id,
                            message:
                                "\(Self.actionWords(a))时记下的链头与账本中 seq \(seq) 的链值不符:该年度此前的记录被改动、删除或插入过"))
                }
                if a.records != counts[year, default: 0] {
                    check.findings.append(
                        LedgerFinding(
                            year: year, approvalID: a.id,
                            message:
                                "\(Self.actionWords(a))时该年度有 \(a.records) 条记录(至 seq \(seq)),现在为 \(counts[year, default: 0]) 条:有记录被删除或插入"))
                }
            }
            pinned[year]?[seq] = nil
        }

        let sql =
            "SELECT r.seq, r.year, r.id, r.type, r.date, r.target, r.body, r.sha256, r.chain, f.name, f.sha256, r.source"
            + " FROM records r LEFT JOIN files f ON f.id = r.file_id" + (only == nil ? "" : " WHERE r.year = ?") + " ORDER BY r.seq"
        try db.withStatement(sql) { s in
            try s.bind(only.map { [.int($0)] } ?? [])
            var previous: [Int: String] = [:]
            while try s.step() {
                let seq = s.int(0), year = Int(s.int(1)), id = s.text(2) ?? ""
                let sha256 = s.text(7) ?? "", stored = s.text(8) ?? ""
                check.records += 1
                years.insert(year)
                if only == nil {
                    if seq > expectedSeq {
                        note(
                            nil, nil, nil,
                            seq - 1 == expectedSeq
                                ? "seq \(expectedSeq) 的记录不存在(被删除)"
                                : "seq \(expectedSeq)–\(seq - 1) 的记录不存在(被删除)")
                    }
                    expectedSeq = seq + 1
                }
                let body = s.bytes(6)
                if ContentHash.hex(body) != sha256 {
                    note(seq, year, id, "记录内容与其存储的哈希不符:内容被改动过")
                }
                var record: Record?
                do {
                    record = try Record(canonicalUTF8: body)
                } catch {
                    note(seq, year, id, "记录内容无法读取(\(error))")
                }
                if let r = record {
                    var differing: [String] = []
                    if r.year != year { differing.append("year") }
                    if r.id != id { differing.append("id") }
                    if r.type.rawValue != s.text(3) { differing.append("type") }
                    if r.date.description != s.text(4) { differing.append("date") }
                    if r.target != s.text(5) { differing.append("target") }
                    if !differing.isEmpty { note(seq, year, id, "字段 \(differing.joined(separator: "、")) 与记录内容不符:账本行被改动过") }
                }
                let origin = Chain.Origin(file: s.text(9) ?? "", fileSHA256: s.text(10) ?? "", source: s.text(11))
                let link = Chain.link(previous: previous[year] ?? "", seq: seq, year: year, id: id, sha256: sha256, origin: origin)
                if link != stored {
                    note(
                        seq, year, id,
                        stored.isEmpty
                            ? "没有链值:这一行不是 zwgk 写入的(被插入)"
                            : "链值不符:这条记录(含其来源文件与位置)或同年度在它之前的记录被改动、删除或插入过")
                }
                previous[year] = stored
                counts[year, default: 0] += 1
                check.heads[year] = (stored, seq)
                checkPins(year: year, at: seq, chain: stored)
                if let a = standing[year], seq > a.lastSeq {
                    note(seq, year, id, "在\(year)年度审定(\(a.atUTC),审定人 \(a.by))之后入账:审定后的年度不应再有新记录")
                }
                visit(CheckedRow(seq: seq, year: year, record: record, sha256: sha256, chain: stored))
            }
        }
        // Approvals whose last record is gone (those made while the year had no records pin nothing).
        for (year, bySeq) in pinned {
            for (seq, list) in bySeq where seq != 0 {
                for a in list {
                    check.findings.append(
                        LedgerFinding(
                            year: year, approvalID: a.id,
                            message:
                                "\(Self.actionWords(a))时该年度的最后一条记录是 seq \(seq),账本中已没有这条记录(被删除)"))
                }
            }
        }
        if only == nil {
            let last = try db.withStatement("SELECT seq FROM sqlite_sequence WHERE name = 'records'") { s in
                try s.step() ? s.int(0) : 0
            }
            if last >= expectedSeq {
                note(
                    nil, nil, nil,
                    last == expectedSeq
                        ? "最后一条记录(seq \(last))不存在(被删除)"
                        : "最后的 seq \(expectedSeq)–\(last) 的记录不存在(被删除)")
            }
        }
        check.years = years.union(approvals.map(\.year)).sorted()
        return check
    }

    static func actionWords(_ a: Approval) -> String {
        "\(a.by) 于 \(a.atUTC) \(a.action == .approve ? "审定" : "撤销审定")"
    }
}
