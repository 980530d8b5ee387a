import Foundation
import Testing

@testable import Ledger

/// The SQLite wrapper itself: binding and reading text, and statements reused from the cache.
@Suite(.timeLimit(.minutes(10))) struct SQLiteConnection {
    struct Stop: Error {}

    func table(_ values: [Int] = []) throws -> Connection {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t(n INTEGER, x TEXT)")
        for n in values {
            try db.withStatement("INSERT INTO t(n) VALUES (?)") { s in try s.bind([.int(n)]).run() }
        }
        return db
    }

    /// Text is bound by its UTF-8 byte count and read by SQLite's: a NUL inside it is kept.
    @Test func textWithANulByteRoundTrips() throws {
        let db = try table()
        let value = "前\u{0}后\u{0}"
        try db.withStatement("INSERT INTO t(x) VALUES (?)") { s in try s.bind([.text(value)]).run() }
        let (text, bytes, stored) = try db.withStatement("SELECT x, x, length(CAST(x AS BLOB)) FROM t") { s in
            _ = try s.step()
            return (s.text(0), Array(s.bytes(1)), s.int(2))
        }
        #expect(stored == Int64(value.utf8.count))
        #expect(text == value)
        #expect(bytes == Array(value.utf8))
        let found = try db.withStatement("SELECT COUNT(*) FROM t WHERE x = ?") { s in
            _ = try s.bind([.text(value)]).step()
            return s.int(0)
        }
        #expect(found == 1)
    }

    /// A NUL made inside SQLite is read back whole too.
    @Test func textWithANulByteIsReadWhole() throws {
        let db = try table()
        let text = try db.withStatement("SELECT 'a' || char(0) || 'b'") { s in
            _ = try s.step()
            return s.text(0)
        }
        #expect(text == "a\u{0}b")
    }

    /// An empty string is stored as empty text, not as NULL.
    @Test func emptyTextIsNotNull() throws {
        let db = try table()
        let type = try db.withStatement("SELECT typeof(?)") { s in
            _ = try s.bind([.text("")]).step()
            return s.text(0)
        }
        #expect(type == "text")
    }

    /// The same SQL run again inside a loop over its own rows: both uses see their own rows in full.
    @Test func aNestedUseOfTheSameSQLLeavesBothWhole() throws {
        let db = try table([1, 2, 3, 4, 5])
        let sql = "SELECT n FROM t WHERE n >= ? ORDER BY n"
        func rows(from n: Int) throws -> [Int64] {
            try db.withStatement(sql) { s in
                try s.bind([.int(n)])
                var out: [Int64] = []
                while try s.step() { out.append(s.int(0)) }
                return out
            }
        }
        var outer: [Int64] = []
        var inner: [[Int64]] = []
        try db.withStatement(sql) { s in
            try s.bind([.int(2)])
            while try s.step() {
                outer.append(s.int(0))
                inner.append(try rows(from: 4))
            }
        }
        #expect(outer == [2, 3, 4, 5])
        #expect(inner == Array(repeating: [4, 5], count: 4))
        // And the SQL is still usable afterwards, from the cache.
        #expect(try rows(from: 1) == [1, 2, 3, 4, 5])
        #expect(db.busyStatements == 0)
    }

    /// A read stopped half-way by an error ends there: its statement no longer holds the WAL.
    @Test func aReadStoppedByAnErrorIsReset() throws {
        let db = try table([1, 2, 3])
        #expect(throws: Stop.self) {
            try db.withStatement("SELECT n FROM t") { s in
                _ = try s.step()
                #expect(db.busyStatements == 1)
                throw Stop()
            }
        }
        #expect(db.busyStatements == 0)
    }
}
