import CSQLite

private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection. Not shared across threads: its owner serialises use.
final class Connection {
    private(set) var handle: OpaquePointer?
    /// Prepared statements not in use, by SQL. One in use is taken out, so a nested use of the same SQL
    /// (the same query run again inside a loop over its rows) prepares its own instead of resetting it.
    private var idle: [String: Statement] = [:]

    init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "无法打开数据库"
            let failure = SQLiteError(
                resultCode: handle.map { sqlite3_extended_errcode($0) } ?? rc,
                message: "\(message)(\(path))", systemErrno: handle.map { sqlite3_system_errno($0) } ?? 0)
            sqlite3_close(handle)
            handle = nil
            throw failure
        }
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 5000)
    }

    deinit {
        idle.removeAll()
        sqlite3_close(handle)
    }

    /// The failure `rc` of the last call, with SQLite's message and the OS error behind it.
    func error(_ rc: Int32) -> SQLiteError {
        SQLiteError(resultCode: rc, message: String(cString: sqlite3_errmsg(handle)), systemErrno: sqlite3_system_errno(handle))
    }

    func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? ""
            sqlite3_free(message)
            throw SQLiteError(resultCode: rc, message: text, systemErrno: sqlite3_system_errno(handle))
        }
    }

    /// Runs `body` with a prepared statement for `sql`, taken out of the cache for the call (or prepared,
    /// when there is none or it is in use further up) and put back after. It is reset on every exit, so a
    /// read that fails half-way does not keep its hold on the WAL.
    func withStatement<T>(_ sql: String, _ body: (Statement) throws -> T) throws -> T {
        let s: Statement
        if let cached = idle.removeValue(forKey: sql) {
            s = cached
        } else {
            var stmt: OpaquePointer?
            let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
            guard rc == SQLITE_OK, let stmt else { throw error(rc) }
            s = Statement(stmt, connection: self)
        }
        defer {
            s.reset()
            // A second one, prepared for a nested use, is finalized rather than kept.
            if idle[sql] == nil { idle[sql] = s }
        }
        return try body(s)
    }

    /// Runs `body` in one IMMEDIATE transaction: all of it is committed, or none of it.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// How many of this connection's statements are part-way through (a read among them holds the WAL).
    var busyStatements: Int {
        var count = 0
        var next = sqlite3_next_stmt(handle, nil)
        while let s = next {
            if sqlite3_stmt_busy(s) != 0 { count += 1 }
            next = sqlite3_next_stmt(handle, s)
        }
        return count
    }
}

/// A prepared statement with typed binding and reading.
final class Statement {
    private let stmt: OpaquePointer
    private unowned let connection: Connection

    init(_ stmt: OpaquePointer, connection: Connection) {
        self.stmt = stmt
        self.connection = connection
    }

    deinit { sqlite3_finalize(stmt) }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    /// Binds `values` to the parameters in order, for a new execution (the statement is reset first).
    @discardableResult
    func bind(_ values: [SQLValue?]) throws(SQLiteError) -> Statement {
        reset()
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case nil: rc = sqlite3_bind_null(stmt, index)
            case .int(let v)?: rc = sqlite3_bind_int64(stmt, index, v)
            case .text(let s)?: rc = bindText(s, at: index)
            }
            guard rc == SQLITE_OK else { throw connection.error(rc) }
        }
        return self
    }

    /// Binds `text` by its UTF-8 byte count: a NUL inside it is kept.
    private func bindText(_ text: String, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { utf8 in
            // (An empty buffer may have no address; SQLite would bind NULL for a nil pointer.)
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                return sqlite3_bind_text(stmt, index, "", 0, SQLITE_TRANSIENT)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text64(stmt, index, $0, UInt64(utf8.count), SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
            }
        }
    }

    /// Steps once; true while a row is available.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(stmt)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(rc)
        }
    }

    func run() throws(SQLiteError) {
        while try step() {}
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }

    /// A text column read by its byte count (a NUL inside it is kept); nil for NULL.
    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, column) else { return nil }
        // (The length is asked after the text: asking first could measure another encoding.)
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, column))), as: UTF8.self)
    }

    /// A text column's UTF-8, valid until the next step or reset.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let p = sqlite3_column_text(stmt, column)
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, column)))
    }

}

enum SQLValue {
    case int(Int64)
    case text(String)
}

extension SQLValue {
    static func int(_ v: Int) -> SQLValue { .int(Int64(v)) }
}
