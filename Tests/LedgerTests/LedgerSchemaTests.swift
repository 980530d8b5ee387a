import Foundation
import RubricEngine
import Testing
import ZwgkFormats

@testable import Ledger

/// The schema: existing ledgers must open unchanged, and new ones get the same tables.
@Suite(.timeLimit(.minutes(10))) struct LedgerSchema {
    /// `sqlite_master` of a ledger made before the migrations had a file of their own, verbatim
    /// (type|name|table|sql, by name).
    static let existing = """
        table|files|files|CREATE TABLE files(
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
        )
        index|files_pending|files|CREATE INDEX files_pending ON files(name, sha256) WHERE stored_as IS NULL
        index|files_received|files|CREATE INDEX files_received ON files(received_at)
        table|records|records|CREATE TABLE records(
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
        )
        trigger|records_append_only_delete|records|CREATE TRIGGER records_append_only_delete BEFORE DELETE ON records
            BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END
        trigger|records_append_only_update|records|CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records
            BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END
        index|records_target|records|CREATE INDEX records_target ON records(year, target) WHERE target IS NOT NULL
        index|sqlite_autoindex_records_1|records|
        table|sqlite_sequence|sqlite_sequence|CREATE TABLE sqlite_sequence(name,seq)
        """

    /// Version 3 adds, after `files_received` by name, the table of overdue items already announced; version 4
    /// gives `records` a `source` column (SQLite writes the added column after the last one).
    static let version4 = existing.replacing(
        """
        index|files_received|files|CREATE INDEX files_received ON files(received_at)

        """,
        with: """
            index|files_received|files|CREATE INDEX files_received ON files(received_at)
            table|overdue_announced|overdue_announced|CREATE TABLE overdue_announced(
                year INTEGER NOT NULL,
                target TEXT NOT NULL,
                unit TEXT NOT NULL,
                deadline TEXT NOT NULL,
                announced_at TEXT NOT NULL,
                PRIMARY KEY (year, target, unit, deadline)
            ) WITHOUT ROWID

            """
    )
    .replacing("file_id INTEGER NOT NULL REFERENCES files(id),\n", with: "file_id INTEGER NOT NULL REFERENCES files(id), source TEXT,\n")

    /// Version 5 gives `records` its `chain` column and an index by year (the append-only trigger is dropped
    /// and made again, the same), and adds the append-only approvals journal and the pins of approved snapshots
    /// (first by name).
    static let current = """
        table|approvals|approvals|CREATE TABLE approvals(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            year INTEGER NOT NULL,
            period TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('approve', 'revoke')),
            actor TEXT NOT NULL,
            note TEXT,
            at TEXT NOT NULL,
            chain_head TEXT NOT NULL,
            last_seq INTEGER NOT NULL,
            records INTEGER NOT NULL,
            chain TEXT NOT NULL
        )
        trigger|approvals_append_only_delete|approvals|CREATE TRIGGER approvals_append_only_delete BEFORE DELETE ON approvals
            BEGIN SELECT RAISE(ABORT, 'ledger approvals are append-only'); END
        trigger|approvals_append_only_update|approvals|CREATE TRIGGER approvals_append_only_update BEFORE UPDATE ON approvals
            BEGIN SELECT RAISE(ABORT, 'ledger approvals are append-only'); END
        index|approvals_year|approvals|CREATE INDEX approvals_year ON approvals(year, id)
        table|approved_snapshots|approved_snapshots|CREATE TABLE approved_snapshots(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            year INTEGER NOT NULL,
            approval_id INTEGER NOT NULL REFERENCES approvals(id),
            manifest_sha256 TEXT NOT NULL,
            at TEXT NOT NULL,
            chain TEXT NOT NULL
        )
        trigger|approved_snapshots_append_only_delete|approved_snapshots|CREATE TRIGGER approved_snapshots_append_only_delete BEFORE DELETE ON approved_snapshots
            BEGIN SELECT RAISE(ABORT, 'ledger approvals are append-only'); END
        trigger|approved_snapshots_append_only_update|approved_snapshots|CREATE TRIGGER approved_snapshots_append_only_update BEFORE UPDATE ON approved_snapshots
            BEGIN SELECT RAISE(ABORT, 'ledger approvals are append-only'); END

        """
        + version4
        .replacing("source TEXT,\n", with: "source TEXT, chain TEXT,\n")
        .replacing(
            """
            index|records_target|records|CREATE INDEX records_target ON records(year, target) WHERE target IS NOT NULL

            """,
            with: """
                index|records_target|records|CREATE INDEX records_target ON records(year, target) WHERE target IS NOT NULL
                index|records_year|records|CREATE INDEX records_year ON records(year)

                """)

    /// A ledger file at schema `version` (its first migrations only), with `rows` inserted: what an older zwgk left.
    func ledger(atVersion version: Int, in dir: TempFolder, rows: String) throws -> String {
        let path = dir.path + "/ledger.sqlite"
        let db = try Connection(path: path)
        let sql = Migrations.all.prefix(version).flatMap(\.steps).map { step -> String in
            guard case .sql(let sql) = step else {
                Issue.record("migration \(version) runs code")
                return ""
            }
            return sql
        }
        try db.execute("BEGIN;\n\(sql.joined(separator: "\n"))\nPRAGMA user_version = \(version);\nCOMMIT;")
        if version == 2 { #expect(try schema(db) == LedgerSchema.existing) }
        try db.execute(rows)
        return path
    }

    static let rejectedFile = """
        INSERT INTO files(name, sha256, size, received_at, outcome, new_records, duplicate_records, reason)
        VALUES ('a.json', 'aa', 1, '2023-05-01T00:00:00.000Z', 'rejected', 0, 0, '坏')
        """

    func schema(_ db: Connection) throws -> String {
        try db.withStatement("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name") { s in
            var rows: [String] = []
            while try s.step() { rows.append((0..<4).map { s.text(Int32($0)) ?? "" }.joined(separator: "|")) }
            return rows.joined(separator: "\n")
        }
    }

    @Test func aNewLedgerHasTheSchemaExistingLedgersHave() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        _ = try Ledger(path: path)
        let db = try Connection(path: path, readOnly: true)
        #expect(LedgerSchema.current != LedgerSchema.existing)
        #expect(try schema(db) == LedgerSchema.current)
        #expect(try Migrations.version(of: db) == 5)
        #expect(Migrations.latest == 5)
    }

    /// A ledger at version 2 (before records kept their place in a spreadsheet) gains the column, its records
    /// kept with no source.
    @Test func aVersion2LedgerGainsTheSourceColumn() throws {
        let dir = TempFolder()
        let path = try ledger(
            atVersion: 2, in: dir,
            rows: """
                INSERT INTO files(name, sha256, size, received_at, outcome, new_records, duplicate_records, reason)
                VALUES ('a.json', 'aa', 1, '2023-05-01T00:00:00.000Z', 'accepted', 1, 0, NULL);
                INSERT INTO records(year, id, type, date, target, body, sha256, file_id) VALUES (2023, 'f-1', 'finding', '2023-05-01', NULL,
                '{"type":"finding","id":"f-1","year":2023,"date":"2023-05-01","unit":"城东街道","indicator":"财政预决算","count":1}', 'x', 1);
                """)
        let ledger = try Ledger(path: path)
        let entries = try ledger.entries(year: 2023)
        #expect(entries.map(\.record.id) == ["f-1"])
        #expect(entries.map(\.source) == [nil])
        let db = try Connection(path: path, readOnly: true)
        #expect(try Migrations.version(of: db) == 5)
        #expect(try schema(db) == LedgerSchema.current)
    }

    /// A ledger at version 1 (before the arrival-time index) is brought up to date on opening, its rows kept.
    @Test func aVersion1LedgerIsMigratedOnOpening() throws {
        let dir = TempFolder()
        let path = try ledger(atVersion: 1, in: dir, rows: Self.rejectedFile)
        let ledger = try Ledger(path: path)
        #expect(try ledger.recentFiles(limit: 5).map(\.receipt.name) == ["a.json"])
        let db = try Connection(path: path, readOnly: true)
        #expect(try Migrations.version(of: db) == 5)
        #expect(try schema(db) == LedgerSchema.current)
    }

    /// A ledger at version 2 (the schema `existing` describes) gets the table of announced overdue items, its
    /// records kept and still append-only.
    @Test func aVersion2LedgerIsMigratedOnOpening() throws {
        let dir = TempFolder()
        let path = try ledger(atVersion: 2, in: dir, rows: Self.rejectedFile)
        let ledger = try Ledger(path: path)
        #expect(try ledger.recentFiles(limit: 5).map(\.receipt.name) == ["a.json"])
        #expect(try ledger.announcedOverdue(year: 2023).isEmpty)
        let db = try Connection(path: path, readOnly: true)
        #expect(try Migrations.version(of: db) == 5)
        #expect(try schema(db) == LedgerSchema.current)
    }

    /// A ledger a newer zwgk wrote (after a package downgrade) is refused, read-write and read-only, with both
    /// versions named, and left as it is.
    @Test func aLedgerFromANewerZwgkIsRefusedNamingBothVersions() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        _ = try Ledger(path: path)
        let newer = Migrations.latest + 1
        try Connection(path: path, readOnly: false).execute("PRAGMA user_version = \(newer)")
        for readOnly in [false, true] {
            let error = #expect(throws: LedgerError.self) { try Ledger(path: path, readOnly: readOnly) }
            #expect(error?.newerSchema == NewerSchema(found: newer, supported: Migrations.latest))
            let text = error?.description ?? ""
            #expect(text.contains("账本格式版本为 \(newer)") && text.contains("支持的版本 \(Migrations.latest)"), "\(text)")
        }
        #expect(try Migrations.version(of: Connection(path: path, readOnly: true)) == newer)
    }

    /// Opening a ledger that is up to date changes nothing.
    @Test func anUpToDateLedgerIsLeftAsItIs() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        _ = try Ledger(path: path)
        _ = try Ledger(path: path)
        let db = try Connection(path: path, readOnly: true)
        #expect(try schema(db) == LedgerSchema.current)
    }

    /// A version-4 ledger with records of two years gains its chains, computed once in seq order per year,
    /// and passes the chain check; the records stay append-only.
    @Test func aVersion4LedgerIsChainedOnOpening() throws {
        let dir = TempFolder()
        func row(_ year: Int, _ id: String) -> String {
            let body = #"{"type":"finding","id":"\#(id)","year":\#(year),"date":"\#(year)-05-01","unit":"城东街道","indicator":"财政预决算","count":1}"#
            return
                "INSERT INTO records(year, id, type, date, target, body, sha256, file_id) VALUES (\(year), '\(id)', 'finding', '\(year)-05-01', NULL, '\(body)', '\(ContentHash.hex(body))', 1);"
        }
        let path = try ledger(
            atVersion: 4, in: dir,
            rows: """
                INSERT INTO files(name, sha256, size, received_at, outcome, new_records, duplicate_records, reason)
                VALUES ('a.json', 'aa', 1, '2023-05-01T00:00:00.000Z', 'accepted', 4, 0, NULL);
                \(row(2023, "a")) \(row(2024, "b")) \(row(2023, "c")) \(row(2024, "d"))
                """)
        let ledger = try Ledger(path: path)
        let db = try Connection(path: path, readOnly: true)
        #expect(try schema(db) == LedgerSchema.current)
        let chains = try db.withStatement("SELECT seq, year, id, sha256, chain FROM records ORDER BY seq") { s in
            var out: [(Int64, Int, String, String, String?)] = []
            while try s.step() { out.append((s.int(0), Int(s.int(1)), s.text(2)!, s.text(3)!, s.text(4))) }
            return out
        }
        #expect(chains.count == 4 && chains.allSatisfy { $0.4 != nil })
        let file = Chain.Origin(file: "a.json", fileSHA256: "aa")
        let a = Chain.link(previous: "", seq: 1, year: 2023, id: "a", sha256: chains[0].3, origin: file)
        let c = Chain.link(previous: a, seq: 3, year: 2023, id: "c", sha256: chains[2].3, origin: file)
        let b = Chain.link(previous: "", seq: 2, year: 2024, id: "b", sha256: chains[1].3, origin: file)
        #expect(chains.map(\.4) == [a, b, c, Chain.link(previous: b, seq: 4, year: 2024, id: "d", sha256: chains[3].3, origin: file)])
        let check = try ledger.checkChains()
        #expect(check.findings.isEmpty, "\(check.findings)")
        #expect(check.records == 4 && check.years == [2023, 2024])
        #expect(throws: SQLiteError.self) { try Connection(path: path).execute("UPDATE records SET chain = 'x' WHERE seq = 1") }
    }
}
