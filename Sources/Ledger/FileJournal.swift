public import RubricEngine
import ZwgkFormats

/// A drop file as received: its name in `incoming/`, content hash, size and arrival time.
public struct FileReceipt: Sendable, Equatable {
    public var name: String
    public var sha256: String
    public var size: Int
    /// ISO 8601 UTC.
    public var receivedAt: String

    public init(name: String, sha256: String, size: Int, receivedAt: String) {
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.receivedAt = receivedAt
    }
}

/// What became of a drop file.
public enum FileOutcome: String, Sendable {
    /// Merged: it added at least one record.
    case accepted
    /// Valid, but every record was already in the ledger.
    case duplicate
    case rejected
}

/// A row of the ledger's file journal.
public struct FileEntry: Sendable, Equatable {
    public var id: Int64
    public var receipt: FileReceipt
    public var outcome: FileOutcome
    /// The name it was given in `accepted/` or `rejected/`; nil while the move is not yet done.
    public var storedAs: String?
    public var newRecords: Int
    public var duplicateRecords: Int
    public var reason: String?
}

/// Counts of files by outcome.
public struct FileCounts: Sendable, Equatable {
    public var accepted = 0
    public var duplicate = 0
    public var rejected = 0
    public var records = 0
    public init() {}
}

// MARK: - The file journal: every file decided, with what became of it

extension Ledger {
    /// A decision about one file, to be written to the ledger.
    public struct Decision: Sendable {
        public var receipt: FileReceipt
        public var outcome: FileOutcome
        public var newRecords: [Record]
        /// For each new record, where in the file it was (a spreadsheet's sheet and row); nil for JSON.
        public var sources: [String?]
        public var duplicateRecords: Int
        public var reason: String?

        public init(
            receipt: FileReceipt, outcome: FileOutcome, newRecords: [Record] = [], sources: [String?]? = nil,
            duplicateRecords: Int = 0, reason: String? = nil
        ) {
            self.receipt = receipt
            self.outcome = outcome
            self.newRecords = newRecords
            self.sources = sources ?? Array(repeating: nil, count: newRecords.count)
            self.duplicateRecords = duplicateRecords
            self.reason = reason
        }
    }

    /// Writes decisions about several files in one durable transaction; each file's records are
    /// written whole, each linked into its year's hash chain (`Chain`). Returns each file's journal id, in
    /// order. New records of a year approved (审定) are refused, the whole call with them: the error's
    /// `refusal` is `.yearApproved` with the approval, checked inside the transaction, so a record can
    /// never land after an approval however late it was validated. `progress` is called before each file's
    /// rows (a large batch takes a while: the daemon's watchdog is fed from it).
    @discardableResult
    public func commit(_ decisions: [Decision], progress: () -> Void = {}) throws(LedgerError) -> [Int64] {
        do {
            return try db.transaction {
                for year in Set(decisions.flatMap { $0.newRecords.map(\.year) }).sorted() {
                    if let approval = try Approvals.current(of: year, on: db) {
                        throw LedgerError(path: path, action: "写入", refusal: .yearApproved(approval))
                    }
                }
                // Each year's last link, read when the year first comes up; the next seq, counted on (this
                // transaction is the only writer).
                var heads: [Int: String] = [:]
                var nextSeq =
                    try db.withStatement(
                        """
                        SELECT MAX(IFNULL((SELECT seq FROM sqlite_sequence WHERE name = 'records'), 0), IFNULL((SELECT MAX(seq) FROM records), 0))
                        """
                    ) { s in
                        try s.step() ? s.int(0) : 0
                    } + 1
                var ids: [Int64] = []
                for d in decisions {
                    progress()
                    try db.withStatement(
                        """
                        INSERT INTO files(name, sha256, size, received_at, outcome, new_records, duplicate_records, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """
                    ) { s in
                        try s.bind([
                            .text(d.receipt.name), .text(d.receipt.sha256), .int(d.receipt.size), .text(d.receipt.receivedAt),
                            .text(d.outcome.rawValue), .int(d.newRecords.count), .int(d.duplicateRecords), d.reason.map { .text($0) },
                        ]).run()
                    }
                    let fileID = db.lastInsertRowID
                    ids.append(fileID)
                    try db.withStatement(
                        """
                        INSERT INTO records(seq, year, id, type, date, target, body, sha256, file_id, source, chain)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                    ) { s in
                        for (i, r) in d.newRecords.enumerated() {
                            let body = r.canonicalText
                            let sha256 = ContentHash.hex(body)
                            let target = r.target.map { SQLValue.text($0) }
                            if heads[r.year] == nil { heads[r.year] = try Chain.head(of: r.year, on: db).chain }
                            let source = d.sources.indices.contains(i) ? d.sources[i] : nil
                            let chain = Chain.link(
                                previous: heads[r.year]!, seq: nextSeq, year: r.year, id: r.id, sha256: sha256,
                                origin: Chain.Origin(file: d.receipt.name, fileSHA256: d.receipt.sha256, source: source))
                            try s.bind([
                                .int(nextSeq), .int(r.year), .text(r.id), .text(r.type.rawValue), .text(r.date.description), target,
                                .text(body), .text(sha256), .int(fileID), source.map { .text($0) }, .text(chain),
                            ]).run()
                            heads[r.year] = chain
                            nextSeq += 1
                        }
                    }
                }
                return ids
            }
        } catch let refused as LedgerError {
            throw refused
        } catch {
            throw fail("写入", error)
        }
    }

    /// Notes the name a decided file was given in `accepted/` or `rejected/`.
    public func markStored(_ ids: [(Int64, String)]) throws(LedgerError) {
        do {
            try db.transaction {
                try db.withStatement("UPDATE files SET stored_as = ? WHERE id = ?") { s in
                    for (id, name) in ids { try s.bind([.text(name), .int(id)]).run() }
                }
            }
        } catch {
            throw fail("记录文件去向", error)
        }
    }

    /// A file decided earlier whose move was not finished (the process stopped in between).
    public func unfinished(name: String, sha256: String) throws(LedgerError) -> FileEntry? {
        do {
            return try db.withStatement(
                """
                SELECT \(Ledger.fileColumns) FROM files WHERE name = ? AND sha256 = ? AND stored_as IS NULL ORDER BY id DESC LIMIT 1
                """
            ) { s in
                try s.bind([.text(name), .text(sha256)])
                return try s.step() ? Ledger.fileEntry(s) : nil
            }
        } catch {
            throw fail("读取文件记录", error)
        }
    }

    /// Every decided file whose move is not recorded as finished.
    public func allUnfinished() throws(LedgerError) -> [FileEntry] {
        do {
            return try db.withStatement("SELECT \(Ledger.fileColumns) FROM files WHERE stored_as IS NULL ORDER BY id") { s in
                var out: [FileEntry] = []
                while try s.step() { out.append(Ledger.fileEntry(s)) }
                return out
            }
        } catch {
            throw fail("读取文件记录", error)
        }
    }

    // MARK: - Journal queries

    static let fileColumns = "id, name, sha256, size, received_at, outcome, stored_as, new_records, duplicate_records, reason"

    static func fileEntry(_ s: Statement) -> FileEntry {
        FileEntry(
            id: s.int(0),
            receipt: FileReceipt(name: s.text(1) ?? "", sha256: s.text(2) ?? "", size: Int(s.int(3)), receivedAt: s.text(4) ?? ""),
            outcome: FileOutcome(rawValue: s.text(5) ?? "") ?? .rejected, storedAs: s.text(6),
            newRecords: Int(s.int(7)), duplicateRecords: Int(s.int(8)), reason: s.text(9))
    }

    /// Files decided at or after `since` (ISO 8601 UTC; nil for all time), by outcome.
    public func counts(since: String? = nil) throws(LedgerError) -> FileCounts {
        do {
            return try db.withStatement(
                """
                SELECT outcome, COUNT(*), SUM(new_records) FROM files WHERE received_at >= ? GROUP BY outcome
                """
            ) { s in
                try s.bind([.text(since ?? "")])
                var c = FileCounts()
                while try s.step() {
                    let n = Int(s.int(1))
                    switch FileOutcome(rawValue: s.text(0) ?? "") {
                    case .accepted?: c.accepted = n
                    case .duplicate?: c.duplicate = n
                    case .rejected?: c.rejected = n
                    case nil: break
                    }
                    c.records += Int(s.int(2))
                }
                return c
            }
        } catch {
            throw fail("统计", error)
        }
    }

    /// The most recent files, newest first.
    public func recentFiles(limit: Int) throws(LedgerError) -> [FileEntry] {
        do {
            return try db.withStatement("SELECT \(Ledger.fileColumns) FROM files ORDER BY id DESC LIMIT ?") { s in
                try s.bind([.int(limit)])
                var out: [FileEntry] = []
                while try s.step() { out.append(Ledger.fileEntry(s)) }
                return out
            }
        } catch {
            throw fail("读取文件记录", error)
        }
    }
}
