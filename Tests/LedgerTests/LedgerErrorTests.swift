import Foundation
import RubricEngine
import Testing

@testable import Ledger

/// Failures carry a code the daemon decides on (and SQLite's result code), not only a message.
@Suite(.timeLimit(.minutes(10))) struct LedgerErrors {
    /// SQLite's result codes, as the tests expect them (the test target does not import SQLite).
    enum RC {
        static let full: Int32 = 13, cantOpen: Int32 = 14, notADB: Int32 = 26, readOnly: Int32 = 8
        static let constraintTrigger: Int32 = 1811, constraintUnique: Int32 = 2067
    }

    @Test(arguments: [
        (Int32(13), SQLiteError.Code.diskFull), (5, .busy), (6, .busy), (517, .busy), (8, .readOnly), (1032, .readOnly),
        (11, .corrupt), (26, .corrupt), (19, .constraint), (1811, .constraint), (14, .cannotOpen),
        (10, .ioError), (778, .ioError), (1, .other), (7, .other),
    ])
    func codesFollowSQLiteResultCodes(resultCode: Int32, code: SQLiteError.Code) {
        #expect(SQLiteError.Code(resultCode: resultCode) == code)
    }

    @Test func anIOErrorFromAFullDiskIsDiskFull() {
        #expect(SQLiteError.Code(resultCode: 778, systemErrno: ENOSPC) == .diskFull)
        #expect(SQLiteError.Code(resultCode: 778, systemErrno: EIO) == .ioError)
    }

    @Test func transientCodes() {
        let codes: [SQLiteError.Code] = [.diskFull, .busy, .readOnly, .corrupt, .constraint, .cannotOpen, .ioError, .other]
        #expect(codes.filter(\.isTransient) == [.diskFull, .busy, .readOnly, .ioError])
    }

    /// A ledger on a full disk: the write fails as `diskFull` (transient), what was written before stays.
    @Test(.enabled(if: getuid() == 0, "mounts a tmpfs")) func aFullDiskIsDiskFull() throws {
        let dir = TempFolder()
        let mount = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.path])
        try #require(mount == 0)
        defer { _ = try? run("/bin/umount", [dir.path]) }
        var written = 0
        let failure: LedgerError? = try {
            let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
            for batch in 0..<1_000 {
                do throws(LedgerError) {
                    try ledger.commit([
                        .init(
                            receipt: receipt("f\(batch).json"), outcome: .accepted,
                            newRecords: (0..<50).map { finding("r\(batch)-\($0)") })
                    ])
                    written += 50
                } catch {
                    #expect(try ledger.entries(year: 2023).count == written)
                    return error
                }
            }
            return nil
        }()
        let error = try #require(failure)
        #expect(error.code == .diskFull, "\(error)")
        #expect(error.resultCode == RC.full)
        #expect(error.isTransient)
        #expect(error.action == "写入")
        // (The daemon has matched this text; it stays.)
        #expect(error.description.contains("SQLite错误(13)"))
        #expect(written > 0)
    }

    @Test func aMissingFileOpenedReadOnlyCannotBeOpened() throws {
        let dir = TempFolder()
        let error = try #require(throws: LedgerError.self) { try Ledger(path: dir.path + "/missing.sqlite", readOnly: true) }
        #expect(error.code == .cannotOpen, "\(error)")
        #expect(error.resultCode.map { $0 & 0xff } == RC.cantOpen)
        #expect(!error.isTransient)
        #expect(error.action == "打开")
    }

    @Test(arguments: [true, false])
    func aFileThatIsNotADatabaseIsCorrupt(readOnly: Bool) throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        var generator = SystemRandomNumberGenerator()
        try Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: LedgerError.self) { try Ledger(path: path, readOnly: readOnly) }
        #expect(error.code == .corrupt, "\(error)")
        #expect(error.resultCode == RC.notADB)
        #expect(!error.isTransient)
    }

    /// The append-only triggers refuse an edit or a deletion as a constraint violation.
    @Test func editingOrDeletingARecordIsAConstraintViolation() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        try Ledger(path: path).commit([.init(receipt: receipt("a.json"), outcome: .accepted, newRecords: [finding("f1")])])
        let db = try Connection(path: path)
        for sql in ["UPDATE records SET body = '{}'", "DELETE FROM records"] {
            let viaExecute = try #require(throws: SQLiteError.self) { try db.execute(sql) }
            let viaStatement = try #require(throws: SQLiteError.self) { try db.withStatement(sql) { s in try s.run() } }
            for error in [viaExecute, viaStatement] {
                #expect(error.code == .constraint, "\(error)")
                #expect(error.resultCode == RC.constraintTrigger)
                #expect(error.message.contains("append-only"))
            }
        }
    }

    /// A record stored twice under one (year, id) is refused as a constraint violation, not transient.
    @Test func aRepeatedRecordIsAConstraintViolation() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        try ledger.commit([.init(receipt: receipt("a.json"), outcome: .accepted, newRecords: [finding("f1")])])
        let error = try #require(throws: LedgerError.self) {
            try ledger.commit([.init(receipt: receipt("b.json"), outcome: .accepted, newRecords: [finding("f1")])])
        }
        #expect(error.code == .constraint)
        #expect(error.resultCode == RC.constraintUnique)
        #expect(!error.isTransient)
    }

    /// Writing through a ledger opened read-only fails as `readOnly`.
    @Test func writingAReadOnlyLedgerIsReadOnly() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        _ = try Ledger(path: path)
        let error = try #require(throws: LedgerError.self) {
            try Ledger(path: path, readOnly: true).commit([.init(receipt: receipt("a.json"), outcome: .rejected, reason: "x")])
        }
        #expect(error.code == .readOnly, "\(error)")
        #expect(error.resultCode.map { $0 & 0xff } == RC.readOnly)
        #expect(error.isTransient)
    }

    /// A record the ledger holds but cannot read is `corrupt`, with no SQLite result code.
    @Test func aDamagedRecordIsCorrupt() {
        let error = LedgerError(path: "x", action: "读取记录", error: LedgerRecordError(field: "count", seq: 3))
        #expect(error.code == .corrupt)
        #expect(error.resultCode == nil)
        #expect(!error.isTransient)
    }

    func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
