/// The ledger's schema, as the ordered list of migrations that build it: migration n (counting from 1)
/// takes a ledger from `PRAGMA user_version` n - 1 to n, in one transaction. A change to the schema is a
/// new migration at the end; one that has shipped is never edited, since existing ledgers have run it.
/// A migration is SQL, or steps of SQL and Swift code (`Migration`), all in the one transaction.
enum Migrations {
    static let all: [Migration] = [
        // 1: the file journal, the records, and the triggers that keep records append-only.
        """
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
        """,
        // 2: files by arrival time, for the counts of a day.
        """
        CREATE INDEX files_received ON files(received_at);
        """,
        // 3: the overdue rectification items already announced in the journal, one row per missed deadline
        // (not a record: the records stay append-only, this notes what the daemon has said).
        """
        CREATE TABLE overdue_announced(
            year INTEGER NOT NULL,
            target TEXT NOT NULL,
            unit TEXT NOT NULL,
            deadline TEXT NOT NULL,
            announced_at TEXT NOT NULL,
            PRIMARY KEY (year, target, unit, deadline)
        ) WITHOUT ROWID;
        """,
        // 4: where in a spreadsheet drop file each record was (`发现问题!12`, `第12行`); NULL for JSON.
        """
        ALTER TABLE records ADD COLUMN source TEXT;
        """,
        // 5: each record's link in its year's hash chain (`Chain`), filled in for the records already there
        // (the append-only trigger is lifted for that, inside the transaction); an index to find a year's
        // last record; the append-only journal of approvals (审定) and their revocations; and the manifest of each
        // annual snapshot an approval wrote, so that the approved result itself is pinned.
        Migration(
            .sql(
                """
                ALTER TABLE records ADD COLUMN chain TEXT;
                CREATE INDEX records_year ON records(year);
                DROP TRIGGER records_append_only_update;
                """),
            .code(Chain.fill),
            .sql(
                """
                CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records
                    BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;
                CREATE TABLE approvals(
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
                );
                CREATE INDEX approvals_year ON approvals(year, id);
                CREATE TRIGGER approvals_append_only_update BEFORE UPDATE ON approvals
                    BEGIN SELECT RAISE(ABORT, 'ledger approvals are append-only'); END;
                CREATE TRIGGER approvals_append_only_delete BEFORE DELETE ON approvals
                    BEGIN SELECT RAISE(ABORT, 'ledger approvals are append-only'); END;
                CREATE TABLE approved_snapshots(
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    year INTEGER NOT NULL,
                    approval_id INTEGER NOT NULL REFERENCES approvals(id),
                    manifest_sha256 TEXT NOT NULL,
                    at TEXT NOT NULL,
                    chain TEXT NOT NULL
                );
                CREATE TRIGGER approved_snapshots_append_only_update BEFORE UPDATE ON approved_snapshots
                    BEGIN SELECT RAISE(ABORT, 'ledger approvals are append-only'); END;
                CREATE TRIGGER approved_snapshots_append_only_delete BEFORE DELETE ON approved_snapshots
                    BEGIN SELECT RAISE(ABORT, 'ledger approvals are append-only'); END;
                """)),
    ]

    /// The schema version a ledger is at once migrated.
    static var latest: Int64 { Int64(all.count) }

    /// The schema version of the ledger open on `db` (0 for a new, empty file). Reads the file's header.
    static func version(of db: Connection) throws -> Int64 {
        try db.withStatement("PRAGMA user_version") { s in
            _ = try s.step()
            return s.int(0)
        }
    }

    /// The schema version of the ledger open on `db`, refused when a newer zwgk wrote it: this one does not know
    /// the newer tables' rules and would write past them (after a package downgrade, say).
    static func supportedVersion(of db: Connection) throws -> Int64 {
        let found = try version(of: db)
        guard found <= latest else { throw NewerSchema(found: found, supported: latest) }
        return found
    }

    /// Runs, in order, the migrations the ledger open on `db` has not run yet, each in a transaction of its own.
    static func migrate(_ db: Connection) throws {
        let current = try supportedVersion(of: db)
        for (i, migration) in all.enumerated() where i >= current {
            try db.transaction {
                // (Another process may have run it while this one waited for the lock.)
                guard try version(of: db) == i else { return }
                for step in migration.steps {
                    switch step {
                    case .sql(let sql): try db.execute(sql)
                    case .code(let run): try run(db)
                    }
                }
                try db.execute("PRAGMA user_version = \(i + 1)")
            }
        }
    }
}

/// One migration: SQL statements and Swift code, run in order in one transaction. Code is for what SQL
/// cannot do alone (hashing); it works on the connection directly, never through the app's types.
struct Migration: ExpressibleByStringLiteral, Sendable {
    enum Step: Sendable {
        case sql(String)
        case code(@Sendable (Connection) throws -> Void)
    }

    var steps: [Step]

    init(_ steps: Step...) { self.steps = steps }

    init(stringLiteral sql: String) { steps = [.sql(sql)] }
}

/// A ledger whose schema version is newer than this zwgk's.
public struct NewerSchema: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file's schema version.
    public var found: Int64
    /// The newest version this zwgk knows.
    public var supported: Int64

    public var description: String {
        "账本格式版本为 \(found),比本程序支持的版本 \(supported) 新(由较新版本的 zwgk 写入)。为免写坏账本,本程序不打开它:"
            + "请安装写入它的 zwgk 版本或更新的版本"
    }
}
