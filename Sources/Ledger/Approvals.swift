/// One entry of the ledger's approval journal: a year's results approved (审定) or the approval revoked,
/// by whom, when, and where the year's hash chain stood at that moment.
public struct Approval: Sendable, Equatable {
    public enum Action: String, Sendable {
        case approve
        case revoke
    }

    public var id: Int64
    public var year: Int
    /// The period approved: `2023-annual`.
    public var period: String
    public var action: Action
    /// Who approved or revoked.
    public var by: String
    public var note: String?
    /// ISO 8601 UTC.
    public var at: String
    /// The year's last chain link then ("" for a year without records), its record's seq (0 for none), and
    /// how many records the year had.
    public var chainHead: String
    public var lastSeq: Int64
    public var records: Int
    /// Its link in the year's chain of approvals (`Chain.link(previous:_:)`).
    public var chain: String

    public init(
        id: Int64 = 0, year: Int, period: String, action: Action, by: String, note: String?, at: String,
        chainHead: String = "", lastSeq: Int64 = 0, records: Int = 0, chain: String = ""
    ) {
        self.id = id
        self.year = year
        self.period = period
        self.action = action
        self.by = by
        self.note = note
        self.at = at
        self.chainHead = chainHead
        self.lastSeq = lastSeq
        self.records = records
        self.chain = chain
    }
}

extension Approval {
    /// When, for people, where no time zone is known: `2024-01-20 02:00 UTC` (callers that know the configured
    /// zone show local time instead).
    public var atUTC: String {
        let minutes = at.prefix(16)
        return minutes.count == 16 ? minutes.replacing("T", with: " ") + " UTC" : at
    }
}

/// Why the ledger refused a change: the year's approval state does not allow it.
public enum ApprovalRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// New records of a year that is approved.
    case yearApproved(Approval)
    /// An approval of a year already approved (the standing approval).
    case alreadyApproved(Approval)
    /// A revocation of a year that is not approved.
    case notApproved(year: Int)

    public var description: String {
        switch self {
        case .yearApproved(let a): "\(a.year)年度已审定(\(a.atUTC),审定人 \(a.by)),不再接收该年度的记录"
        case .alreadyApproved(let a): "\(a.year)年度已于 \(a.atUTC) 审定(审定人 \(a.by)),不能重复审定"
        case .notApproved(let year): "\(year)年度尚未审定,无可撤销"
        }
    }
}

// MARK: - The approval journal: append-only, one row per approval or revocation

extension Ledger {
    /// Whether the file has chains and approvals (schema 5 on): one opened read-only before its upgrade has not.
    public var hasChains: Bool { schemaVersion >= 5 }

    /// Records an approval (`.approve`) or revocation (`.revoke`) of `year`, with the year's chain head, last
    /// seq and record count read in the same transaction. Refused (`refusal`) when the year is already
    /// approved, or, for a revocation, not approved.
    @discardableResult
    public func record(_ action: Approval.Action, year: Int, period: String, by: String, note: String?, at: String) throws(LedgerError) -> Approval {
        do {
            return try db.transaction {
                let current = try Approvals.current(of: year, on: db)
                switch (action, current) {
                case (.approve, let standing?): throw LedgerError(path: path, action: "审定", refusal: .alreadyApproved(standing))
                case (.revoke, nil): throw LedgerError(path: path, action: "撤销审定", refusal: .notApproved(year: year))
                default: break
                }
                let head = try Chain.head(of: year, on: db)
                let count = try db.withStatement("SELECT COUNT(*) FROM records WHERE year = ?") { s in
                    try s.bind([.int(year)])
                    _ = try s.step()
                    return Int(s.int(0))
                }
                let id = try Chain.nextID(in: "approvals", on: db)
                let previous = try Chain.lastLink(in: "approvals", year: year, on: db)
                var entry = Approval(
                    id: id, year: year, period: period, action: action, by: by, note: note, at: at,
                    chainHead: head.chain, lastSeq: head.seq, records: count)
                entry.chain = Chain.link(previous: previous, entry)
                try db.withStatement(
                    """
                    INSERT INTO approvals(id, year, period, action, actor, note, at, chain_head, last_seq, records, chain)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
                ) { s in
                    try s.bind([
                        .int(id), .int(year), .text(period), .text(action.rawValue), .text(by), note.map { .text($0) }, .text(at),
                        .text(head.chain), .int(head.seq), .int(count), .text(entry.chain),
                    ]).run()
                }
                return entry
            }
        } catch let refused as LedgerError {
            throw refused
        } catch {
            throw fail(action == .approve ? "审定" : "撤销审定", error)
        }
    }

    /// The approval standing for `year`: its last entry when that is an approval; nil when open.
    public func approval(year: Int) throws(LedgerError) -> Approval? {
        guard hasChains else { return nil }
        do {
            return try Approvals.current(of: year, on: db)
        } catch {
            throw fail("读取审定记录", error)
        }
    }

    /// Every approval and revocation of `year` (all years when nil), oldest first.
    public func approvals(year: Int? = nil) throws(LedgerError) -> [Approval] {
        guard hasChains else { return [] }
        do {
            let sql = "SELECT \(Approvals.columns) FROM approvals" + (year == nil ? "" : " WHERE year = ?") + " ORDER BY id"
            return try db.withStatement(sql) { s in
                try s.bind(year.map { [.int($0)] } ?? [])
                var out: [Approval] = []
                while try s.step() { out.append(Approvals.read(s)) }
                return out
            }
        } catch {
            throw fail("读取审定记录", error)
        }
    }
}

/// Queries on the approvals table, shared by the journal and the commit that checks it.
enum Approvals {
    static let columns = "id, year, period, action, actor, note, at, chain_head, last_seq, records, chain"

    static func read(_ s: Statement) -> Approval {
        Approval(
            id: s.int(0), year: Int(s.int(1)), period: s.text(2) ?? "", action: Approval.Action(rawValue: s.text(3) ?? "") ?? .revoke,
            by: s.text(4) ?? "", note: s.text(5), at: s.text(6) ?? "", chainHead: s.text(7) ?? "", lastSeq: s.int(8),
            records: Int(s.int(9)), chain: s.text(10) ?? "")
    }

    /// The year's standing approval on `db`, if its last entry is one.
    static func current(of year: Int, on db: Connection) throws -> Approval? {
        try db.withStatement("SELECT \(columns) FROM approvals WHERE year = ? ORDER BY id DESC LIMIT 1") { s in
            try s.bind([.int(year)])
            guard try s.step() else { return nil }
            let last = read(s)
            return last.action == .approve ? last : nil
        }
    }
}
