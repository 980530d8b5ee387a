import Foundation
import Ledger
import RubricEngine
import Testing
import ZwgkFormats

/// A fresh folder for one test, removed afterwards.
final class TempFolder {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "zwgk-ledger-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func finding(_ id: String, _ date: String = "2023-05-01") -> Record {
    .finding(Finding(id: id, year: 2023, date: Day(date)!, unit: "市财政局", indicator: "财政预决算", count: 1, method: "网上检查"))
}

func receipt(_ name: String) -> FileReceipt {
    FileReceipt(name: name, sha256: String(repeating: "a", count: 64), size: 10, receivedAt: "2023-05-01T00:00:00.000Z")
}

@Suite(.timeLimit(.minutes(10))) struct LedgerFile {
    /// Each record keeps its place in a spreadsheet drop file; a JSON file's records have none.
    @Test func keepsEachRecordsSource() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        try ledger.commit([
            .init(receipt: receipt("8月检查.xlsx"), outcome: .accepted, newRecords: [finding("f1"), finding("f2")], sources: ["发现问题!12", "发现问题!13"]),
            .init(receipt: receipt("b.json"), outcome: .accepted, newRecords: [finding("f3")]),
        ])
        let entries = try ledger.entries(year: 2023)
        #expect(entries.map(\.source) == ["发现问题!12", "发现问题!13", nil])
        #expect(entries.map(\.origin) == ["8月检查.xlsx 发现问题!12", "8月检查.xlsx 发现问题!13", "b.json"])
    }

    @Test func keepsRecordsAcrossReopening() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        do {
            let ledger = try Ledger(path: path)
            try ledger.commit([.init(receipt: receipt("a.json"), outcome: .accepted, newRecords: [finding("f1"), finding("f2")])])
        }
        let ledger = try Ledger(path: path)
        let entries = try ledger.entries(year: 2023)
        #expect(entries.map(\.record.id) == ["f1", "f2"])
        #expect(entries.map(\.seq) == [1, 2])
        #expect(entries[0].file == "a.json")
        #expect(try ledger.record(year: 2023, id: "f2") == finding("f2"))
        #expect(try ledger.record(year: 2024, id: "f2") == nil)
        #expect(try ledger.years() == [2023])
    }

    /// A year is read in batches decoded on another thread: every record comes back once, in order, with
    /// its own file and stored hash, across batch edges.
    @Test func aLargeYearIsReadInOrderWithFilesAndHashes() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        let files = 7, perFile = 1_500
        try ledger.commit(
            (0..<files).map { f in
                .init(receipt: receipt("f\(f).json"), outcome: .accepted, newRecords: (0..<perFile).map { finding("r\(f)-\($0)") })
            })
        var seen: [(Int64, String, String, String)] = []
        try ledger.forEachEntry(year: 2023) { entry, sha256 in
            seen.append((entry.seq, entry.record.id, entry.file, String(decoding: sha256, as: UTF8.self)))
        }
        #expect(seen.count == files * perFile)
        for (i, (seq, id, file, hash)) in seen.enumerated() {
            #expect(seq == Int64(i + 1))
            #expect(id == "r\(i / perFile)-\(i % perFile)")
            #expect(file == "f\(i / perFile).json")
            #expect(hash == ContentHash.hex(finding(id).canonicalText))
        }
        try ledger.forEachEntry(year: 2024) { _, _ in Issue.record("no records in 2024") }
    }

    @Test func aDamagedRecordStopsTheReadWithItsField() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        let ledger = try Ledger(path: path)
        try ledger.commit([.init(receipt: receipt("a.json"), outcome: .accepted, newRecords: (0..<5_000).map { finding("f\($0)") })])
        // Damage one record behind the ledger's back (triggers dropped, as a hand edit would).
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [
            path, "DROP TRIGGER records_append_only_update; UPDATE records SET body = replace(body, '\"count\":1', '\"count\":\"1\"') WHERE id = 'f4500'",
        ]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        var read = 0
        let error = #expect(throws: LedgerError.self) { try ledger.forEachEntry(year: 2023) { _, _ in read += 1 } }
        #expect(error?.description.contains("第4501号记录的“count”无法读取") == true, "\(String(describing: error))")
        #expect(read <= 4_500)
    }

    @Test func aFileIsWrittenWholeOrNotAtAll() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        try ledger.commit([.init(receipt: receipt("a.json"), outcome: .accepted, newRecords: [finding("f1")])])
        // f2 is new but f1 repeats an existing (year, id): the whole batch must roll back.
        #expect(throws: LedgerError.self) {
            try ledger.commit([.init(receipt: receipt("b.json"), outcome: .accepted, newRecords: [finding("f2"), finding("f1")])])
        }
        #expect(try ledger.entries(year: 2023).map(\.record.id) == ["f1"])
        #expect(try ledger.counts().accepted == 1)
    }

    @Test func recordsCannotBeEditedOrDeleted() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        let ledger = try Ledger(path: path)
        try ledger.commit([.init(receipt: receipt("a.json"), outcome: .accepted, newRecords: [finding("f1")])])
        for sql in ["UPDATE records SET body = '{}'", "DELETE FROM records"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            p.arguments = [path, sql]
            let err = Pipe()
            p.standardError = err
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus != 0, "\(sql) succeeded")
            #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("append-only"))
        }
        #expect(try ledger.entries(year: 2023).count == 1)
    }

    @Test func unfinishedMovesAreFoundByNameAndHash() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        let ids = try ledger.commit([.init(receipt: receipt("a.json"), outcome: .rejected, reason: "坏")])
        let pending = try #require(try ledger.unfinished(name: "a.json", sha256: receipt("a.json").sha256))
        #expect(pending.outcome == .rejected)
        #expect(pending.reason == "坏")
        try ledger.markStored([(ids[0], "a.json")])
        #expect(try ledger.unfinished(name: "a.json", sha256: receipt("a.json").sha256) == nil)
    }

    @Test func countsByOutcomeAndDay() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        var late = receipt("c.json")
        late.receivedAt = "2023-05-02T08:00:00.000Z"
        try ledger.commit([
            .init(receipt: receipt("a.json"), outcome: .accepted, newRecords: [finding("f1")]),
            .init(receipt: receipt("b.json"), outcome: .duplicate, duplicateRecords: 1),
            .init(receipt: late, outcome: .rejected, reason: "x"),
        ])
        let all = try ledger.counts()
        #expect((all.accepted, all.duplicate, all.rejected, all.records) == (1, 1, 1, 1))
        let today = try ledger.counts(since: "2023-05-02T00:00:00.000Z")
        #expect((today.accepted, today.rejected) == (0, 1))
    }

    @Test func retractionsAreFoundByTarget() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        let r = Retraction(id: "r1", year: 2023, date: Day("2023-06-01")!, target: "f1", reason: "申诉成立")
        try ledger.commit([.init(receipt: receipt("a.json"), outcome: .accepted, newRecords: [finding("f1"), .retraction(r)])])
        #expect(try ledger.retractions(year: 2023, target: "f1") == [r])
    }

    /// Text is stored and read by its byte count: a NUL inside a name or a reason is kept, not cut.
    @Test func textWithANulByteRoundTrips() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        var odd = receipt("a\u{0}b.json")
        odd.sha256 = "c\u{0}d"
        try ledger.commit([.init(receipt: odd, outcome: .rejected, reason: "坏\u{0}文件")])
        let pending = try #require(try ledger.unfinished(name: "a\u{0}b.json", sha256: "c\u{0}d"))
        #expect(pending.receipt == odd)
        #expect(pending.reason == "坏\u{0}文件")
        #expect(try ledger.unfinished(name: "a", sha256: "c") == nil)
        #expect(try ledger.recentFiles(limit: 1).map(\.receipt.name) == ["a\u{0}b.json"])
    }

    /// Reading the same year again from inside a read of it (past the first batch) leaves both reads whole.
    @Test func aNestedReadOfTheSameYearLeavesBothWhole() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        let count = 2 * 4096 + 100
        try ledger.commit([.init(receipt: receipt("a.json"), outcome: .accepted, newRecords: (0..<count).map { finding("f\($0)") })])
        var outer: [Int64] = []
        var inner: [Int64] = []
        try ledger.forEachEntry(year: 2023) { entry, _ in
            outer.append(entry.seq)
            if entry.seq == 1 {
                try? ledger.forEachEntry(year: 2023) { e, _ in inner.append(e.seq) }
            }
        }
        // (Compared whole, but reported by count: the lists are long.)
        let outerWhole = outer == Array(1...Int64(count)), innerWhole = inner == Array(1...Int64(count))
        #expect(outerWhole, "outer read \(outer.count) of \(count)")
        #expect(innerWhole, "inner read \(inner.count) of \(count)")
    }
}

@Suite(.timeLimit(.minutes(10))) struct RectificationInTheLedger {
    @Test func followUpsAreFoundByTargetInArrivalOrderAndReadBack() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        let day = { (s: String) in Day(s)! }
        let report = Record.rectification(
            Rectification(
                id: "z1", year: 2023, date: day("2023-05-20"), target: "f1", unit: "市财政局",
                measures: "已公开", evidence: "截图"))
        let check = Record.recheck(
            Recheck(
                id: "c1", year: 2023, date: day("2023-05-22"), target: "f1", unit: "市财政局", passed: false,
                note: "不完整", rectifyBy: day("2023-06-05")))
        let retraction = Record.retraction(Retraction(id: "r1", year: 2023, date: day("2023-06-01"), target: "f1", reason: "申诉成立"))
        try ledger.commit([.init(receipt: receipt("a.json"), outcome: .accepted, newRecords: [finding("f1"), report, check])])
        try ledger.commit([.init(receipt: receipt("b.json"), outcome: .accepted, newRecords: [retraction])])
        #expect(try ledger.followUps(year: 2023, target: "f1") == [report, check])
        #expect(try ledger.followUps(year: 2024, target: "f1").isEmpty)
        #expect(try ledger.retractions(year: 2023, target: "f1").map(\.id) == ["r1"], "retractions are told apart from follow-ups")
        #expect(try ledger.entries(year: 2023).map(\.record) == [finding("f1"), report, check, retraction])
    }

    @Test func missedDeadlinesAreNotedOnceAndKeptAcrossReopening() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        let a = MissedDeadline(year: 2023, target: "f1", unit: "市财政局", deadline: Day("2023-05-27")!)
        let b = MissedDeadline(year: 2023, target: "运政办通〔2023〕12号", unit: "城东街道", deadline: Day("2023-04-25")!)
        do {
            let ledger = try Ledger(path: path)
            #expect(try ledger.announcedOverdue(year: 2023).isEmpty)
            try ledger.noteAnnounced([a], at: "2023-05-28T18:00:00.000Z")
            try ledger.noteAnnounced([a, b], at: "2023-05-29T18:00:00.000Z")
        }
        let ledger = try Ledger(path: path)
        #expect(try ledger.announcedOverdue(year: 2023) == [a, b])
        #expect(try ledger.announcedOverdue(year: 2024).isEmpty)
        // The same item missing a later deadline (after a failed re-check) is another announcement.
        var later = a
        later.deadline = Day("2023-06-20")!
        #expect(try !ledger.announcedOverdue(year: 2023).contains(later))
    }
}
