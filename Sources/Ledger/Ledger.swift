/// The ledger: an append-only SQLite file holding every accepted record with its source file,
/// content hash and arrival time, and a journal of every file decided. Scores are derived from it.
///
/// Its parts: the schema (`Migrations`), the file journal (FileJournal.swift) and the reading of
/// records (RecordReading.swift).
public final class Ledger {
    public let path: String
    let db: Connection
    /// The schema version (`Migrations`) the file is at: the latest, unless opened read-only before an upgrade.
    public let schemaVersion: Int64

    /// Opens (creating and migrating if needed) the ledger at `path`.
    public init(path: String, readOnly: Bool = false) throws(LedgerError) {
        self.path = path
        do {
            db = try Connection(path: path, readOnly: readOnly)
            if readOnly {
                // Reads the file's header now: a file that is not a database fails here, as `corrupt`.
                schemaVersion = try Migrations.supportedVersion(of: db)
            } else {
                try db.execute("PRAGMA journal_mode=WAL")
                try db.execute("PRAGMA synchronous=FULL")
                try Migrations.migrate(db)
                schemaVersion = Migrations.latest
            }
            try db.execute("PRAGMA foreign_keys=ON")
        } catch {
            throw LedgerError(path: path, action: "打开", error: error)
        }
    }

    /// `action` failed with `error`.
    func fail(_ action: String, _ error: any Error) -> LedgerError {
        LedgerError(path: path, action: action, error: error)
    }
}
