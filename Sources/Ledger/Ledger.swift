import CSQLite
import Dispatch
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

/// The ledger: an append-only SQLite file holding every accepted record with its source file,
/// content hash and arrival time, and a journal of every file decided. Scores are derived from it.
public final class Ledger {
    public let path: String
    private let db: Connection

    /// Opens (creating and migrating if needed) the ledger at `path`.
    public init(path: String, readOnly: Bool = false) throws(LedgerError) {
        self.path = path
        do {
            db = try Connection(path: path, readOnly: readOnly)
            if readOnly {
                // Reads the file's header now: a file that is not a database fails here, as `corrupt`.
                _ = try schemaVersion()
            } else {
                try db.execute("PRAGMA journal_mode=WAL")
                try db.execute("PRAGMA synchronous=FULL")
                try migrate()
            }
            try db.execute("PRAGMA foreign_keys=ON")
        } catch {
            throw LedgerError(path: path, action: "打开", error: error)
        }
    }

    private func schemaVersion() throws -> Int64 {
        try db.withStatement("PRAGMA user_version") { s in
            _ = try s.step()
            return s.int(0)
        }
    }

    private func migrate() throws {
        let current = try schemaVersion()
        if current < 1 { try createV1() }
        if current < 2 {
            try db.execute("""
                BEGIN;
                CREATE INDEX files_received ON files(received_at);
                PRAGMA user_version = 2;
                COMMIT;
                """)
        }
    }

    private func createV1() throws(SQLiteError) {
        try db.execute("""
            BEGIN;
            CREATE TABLE files(
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                size INTEGER NOT NULL,
                received_at TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'rejected')),
                stored_as TEXT,
                new_records INTEGER NOT NULL,
                duplicate_records INTEGER NOT NULL,
                reason TEXT
            );
            CREATE INDEX files_pending ON files(name, sha256) WHERE stored_as IS NULL;
            CREATE TABLE records(
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                year INTEGER NOT NULL,
                id TEXT NOT NULL,
                type TEXT NOT NULL,
                date TEXT NOT NULL,
                target TEXT,
                body TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                file_id INTEGER NOT NULL REFERENCES files(id),
                UNIQUE (year, id)
            );
            CREATE INDEX records_target ON records(year, target) WHERE target IS NOT NULL;
            CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records
                BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;
            CREATE TRIGGER records_append_only_delete BEFORE DELETE ON records
                BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;
            PRAGMA user_version = 1;
            COMMIT;
            """)
    }

    private func fail(_ action: String, _ error: any Error) -> LedgerError {
        LedgerError(path: path, action: action, error: error)
    }

    // MARK: - Reading records

    /// The record stored under (year, id), if any.
    public func record(year: Int, id: String) throws(LedgerError) -> Record? {
        do {
            return try db.withStatement("SELECT body FROM records WHERE year = ? AND id = ?") { s in
                try s.bind([.int(year), .text(id)])
                guard try s.step() else { return nil }
                return try Record(canonicalUTF8: s.bytes(0))
            }
        } catch {
            throw fail("读取记录", error)
        }
    }

    /// Retractions stored that target (year, id), in arrival order.
    public func retractions(year: Int, target: String) throws(LedgerError) -> [Retraction] {
        do {
            return try db.withStatement("SELECT body FROM records WHERE year = ? AND target = ? ORDER BY seq") { s in
                try s.bind([.int(year), .text(target)])
                var out: [Retraction] = []
                while try s.step() {
                    if case .retraction(let r) = try Record(canonicalUTF8: s.bytes(0)) { out.append(r) }
                }
                return out
            }
        } catch {
            throw fail("读取撤销记录", error)
        }
    }

    /// Every record of `year` in arrival order, with the file it came in.
    public func entries(year: Int) throws(LedgerError) -> [LedgerEntry] {
        var out: [LedgerEntry] = []
        try forEachEntry(year: year) { entry, _ in out.append(entry) }
        return out
    }

    /// Every record of `year` in arrival order, with the file it came in and its stored content hash (the
    /// SHA-256 of its canonical text, as hex; valid during the call), passed to `body` one at a time: a large
    /// ledger need not be held in memory. Names repeated across records share one copy.
    ///
    /// Rows are read here a batch at a time while the batch before is decoded on another thread;
    /// `body` runs on the calling thread, in order.
    public func forEachEntry(year: Int, _ body: (LedgerEntry, _ sha256: UnsafeBufferPointer<UInt8>) -> Void) throws(LedgerError) {
        do {
            // Scanned in arrival (rowid) order: through the (year, id) index every row would be fetched
            // out of place and then sorted again, twice the time.
            // (The statement is reset on every exit: a damaged record that stops the read half-way
            // does not keep its hold on the WAL.)
            try db.withStatement("""
                SELECT r.seq, r.body, r.file_id, f.name, f.received_at, r.sha256
                FROM records r NOT INDEXED JOIN files f ON f.id = r.file_id
                WHERE r.year = ? ORDER BY r.seq
                """) { s in
                try s.bind([.int(year)])
                let decoding = DispatchQueue(label: "zwgk.ledger.decode")
                let names = NameTable()
                // A file's name and arrival time are read once and shared by all its records.
                var files: [(name: String, received: String)] = []
                var fileID: Int64 = -1
                func deliver(_ batch: RowBatch) throws(LedgerRecordError) {
                    batch.decoded.wait()
                    if let failure = batch.failure { throw failure }
                    batch.hashes.withUnsafeBufferPointer { hashes in
                        var start = 0
                        for i in batch.records.indices {
                            let file = files[batch.files[i]]
                            body(LedgerEntry(seq: batch.seqs[i], record: batch.records[i], file: file.name, received: file.received),
                                 UnsafeBufferPointer(rebasing: hashes[start..<batch.hashEnds[i]]))
                            start = batch.hashEnds[i]
                        }
                    }
                }
                var previous: RowBatch?
                var more = true
                while more {
                    let batch = RowBatch()
                    // (A finished statement must not be stepped again: it would start over.)
                    while batch.seqs.count < RowBatch.size {
                        more = try s.step()
                        if !more { break }
                        if s.int(2) != fileID {
                            fileID = s.int(2)
                            files.append((s.text(3) ?? "", s.text(4) ?? ""))
                        }
                        batch.append(seq: s.int(0), body: s.bytes(1), file: files.count - 1, sha256: s.bytes(5))
                    }
                    if batch.seqs.isEmpty { break }
                    decoding.async { batch.decode(names: names) }
                    if let previous { try deliver(previous) }
                    previous = batch
                }
                if let previous { try deliver(previous) }
            }
        } catch {
            throw fail("读取记录", error)
        }
    }

    /// The years that have records, ascending.
    public func years() throws(LedgerError) -> [Int] {
        do {
            return try db.withStatement("SELECT DISTINCT year FROM records ORDER BY year") { s in
                var out: [Int] = []
                while try s.step() { out.append(Int(s.int(0))) }
                return out
            }
        } catch {
            throw fail("读取年度", error)
        }
    }

    // MARK: - Writing

    /// A decision about one file, to be written to the ledger.
    public struct Decision: Sendable {
        public var receipt: FileReceipt
        public var outcome: FileOutcome
        public var newRecords: [Record]
        public var duplicateRecords: Int
        public var reason: String?

        public init(receipt: FileReceipt, outcome: FileOutcome, newRecords: [Record] = [], duplicateRecords: Int = 0, reason: String? = nil) {
            self.receipt = receipt
            self.outcome = outcome
            self.newRecords = newRecords
            self.duplicateRecords = duplicateRecords
            self.reason = reason
        }
    }

    /// Writes decisions about several files in one durable transaction; each file's records are
    /// written whole. Returns each file's journal id, in order.
    @discardableResult
    public func commit(_ decisions: [Decision]) throws(LedgerError) -> [Int64] {
        do {
            return try db.transaction {
                var ids: [Int64] = []
                for d in decisions {
                    try db.withStatement("""
                        INSERT INTO files(name, sha256, size, received_at, outcome, new_records, duplicate_records, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """) { s in
                        try s.bind([
                            .text(d.receipt.name), .text(d.receipt.sha256), .int(d.receipt.size), .text(d.receipt.receivedAt),
                            .text(d.outcome.rawValue), .int(d.newRecords.count), .int(d.duplicateRecords), d.reason.map { .text($0) },
                        ]).run()
                    }
                    let fileID = db.lastInsertRowID
                    ids.append(fileID)
                    try db.withStatement("""
                        INSERT INTO records(year, id, type, date, target, body, sha256, file_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """) { s in
                        for r in d.newRecords {
                            let body = r.canonicalText
                            var target: SQLValue?
                            if case .retraction(let x) = r { target = .text(x.target) }
                            try s.bind([
                                .int(r.year), .text(r.id), .text(r.typeName), .text(r.date.description), target,
                                .text(body), .text(SHA256.hex(body)), .int(fileID),
                            ]).run()
                        }
                    }
                }
                return ids
            }
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
            return try db.withStatement("""
                SELECT \(Ledger.fileColumns) FROM files WHERE name = ? AND sha256 = ? AND stored_as IS NULL ORDER BY id DESC LIMIT 1
                """) { s in
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
        FileEntry(id: s.int(0),
                  receipt: FileReceipt(name: s.text(1) ?? "", sha256: s.text(2) ?? "", size: Int(s.int(3)), receivedAt: s.text(4) ?? ""),
                  outcome: FileOutcome(rawValue: s.text(5) ?? "") ?? .rejected, storedAs: s.text(6),
                  newRecords: Int(s.int(7)), duplicateRecords: Int(s.int(8)), reason: s.text(9))
    }

    /// Files decided at or after `since` (ISO 8601 UTC; nil for all time), by outcome.
    public func counts(since: String? = nil) throws(LedgerError) -> FileCounts {
        do {
            return try db.withStatement("""
                SELECT outcome, COUNT(*), SUM(new_records) FROM files WHERE received_at >= ? GROUP BY outcome
                """) { s in
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

/// Ledger rows read but not yet decoded, then their records. Filled on the reading thread, decoded on
/// another, read back after `decoded` is signalled: never touched by two threads at once.
private final class RowBatch: @unchecked Sendable {
    static let size = 4096
    var seqs: [Int64] = []
    var files: [Int] = []
    /// The canonical texts back to back, and where each ends.
    var bodies: [UInt8] = []
    var ends: [Int] = []
    /// The stored SHA-256 hex of each, back to back, and where each ends.
    var hashes: [UInt8] = []
    var hashEnds: [Int] = []
    var records: [Record] = []
    var failure: LedgerRecordError?
    let decoded = DispatchSemaphore(value: 0)

    init() {
        seqs.reserveCapacity(RowBatch.size)
        bodies.reserveCapacity(RowBatch.size * 256)
        hashes.reserveCapacity(RowBatch.size * 64)
    }

    func append(seq: Int64, body: UnsafeBufferPointer<UInt8>, file: Int, sha256: UnsafeBufferPointer<UInt8>) {
        seqs.append(seq)
        files.append(file)
        bodies.append(contentsOf: body)
        ends.append(bodies.count)
        hashes.append(contentsOf: sha256)
        hashEnds.append(hashes.count)
    }

    func decode(names: NameTable) {
        defer { decoded.signal() }
        records.reserveCapacity(seqs.count)
        bodies.withUnsafeBufferPointer { all in
            var start = 0
            for (i, end) in ends.enumerated() {
                do throws(LedgerRecordError) {
                    records.append(try Record(canonicalUTF8: UnsafeBufferPointer(rebasing: all[start..<end]), names: names))
                } catch {
                    failure = LedgerRecordError(field: error.field, seq: seqs[i])
                    return
                }
                start = end
            }
        }
    }
}
