import Foundation
import Testing
import ZwgkFormats
import ZwgkTestSupport

@Suite(.timeLimit(.minutes(10))) struct OnceThroughTheSpool {
    @Test func validFilesAreMergedAndBadOnesRejectedWithReasons() throws {
        let box = try Sandbox()
        try box.drop("good.json", "[\(goodFinding), \(goodNotice)]")
        // A half-bad file: its first record is valid, its second is not; nothing of it may count.
        try box.drop(
            "half.json",
            """
            [{"type": "finding", "id": "h-1", "year": 2023, "date": "2023-06-01", "unit": "城西街道", "indicator": "财政预决算"},
             {"type": "finding", "id": "h-2", "year": 2023, "date": "2023-06-31", "unit": "城西街道", "indicator": "财政预决算"}]
            """)
        try box.drop(".hidden.json", goodFinding)
        try "x".write(toFile: box.incoming + "/w.json.tmp", atomically: false, encoding: .utf8)
        try "x".write(toFile: box.incoming + "/w.json.part", atomically: false, encoding: .utf8)
        try "x".write(toFile: box.incoming + "/readme.txt", atomically: false, encoding: .utf8)

        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("接收 1") && run.out.contains("拒收 2"))
        #expect(box.names(box.accepted) == ["good.json"])
        // A file zwgk does not read is answered too, never left unseen.
        #expect(box.names(box.rejected) == ["half.json", "half.json.why.txt", "readme.txt", "readme.txt.why.txt"])
        #expect(box.names(box.incoming) == [".hidden.json", "w.json.part", "w.json.tmp"])
        #expect(try box.read(box.rejected + "/readme.txt.why.txt").contains("只接收 .json、.xlsx 和 .csv 文件"))

        let why = try box.read(box.rejected + "/half.json.why.txt")
        #expect(why.contains("第2条记录(id “h-2”),字段 date:“2023-06-31”不是有效日期"))
        #expect(why.contains("整个文件未被合并"))
        // The original is kept byte for byte.
        #expect(try box.read(box.rejected + "/half.json").contains("h-1"))

        let totals = try box.totals()
        #expect(totals["市财政局"] == "95")  // 103 − 4 (财政预决算) − 4 (quarterly notice)
        #expect(totals["城东街道"] == "96")  // 100 − 4 (quarterly notice)
        #expect(totals["城西街道"] == "100")  // the half-bad file changed nothing
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "2")
    }

    @Test func validateSaysExactlyWhatTheRejectionSays() throws {
        let box = try Sandbox()
        let bad = #"[{"type": "finding", "id": "x", "year": 2023, "date": "2023-01-01", "unit": "市财政", "indicator": "财政预决算", "count": 0}]"#
        try bad.write(toFile: box.root + "/bad.json", atomically: true, encoding: .utf8)
        try goodFinding.write(toFile: box.root + "/good.json", atomically: true, encoding: .utf8)
        let check = try box.zwgk(["validate", box.root + "/bad.json", box.root + "/good.json"])
        #expect(check.status == 1)
        #expect(check.out.contains("good.json:有效,新记录 1 条"))
        #expect(!FileManager.default.fileExists(atPath: box.state + "/ledger.sqlite"), "validate touched state")

        try box.drop("bad.json", bad)
        try box.zwgk(["daemon", "--once"])
        let why = try box.read(box.rejected + "/bad.json.why.txt")
        let problems = check.out.components(separatedBy: "\n").filter { $0.hasPrefix("  ") }
        #expect(problems.count == 2)
        for line in problems { #expect(why.contains(line), "why.txt lacks \(line)") }
        #expect(try box.zwgk(["validate", box.root + "/good.json"]).status == 0)
    }

    @Test func anExactDuplicateFileIsAcceptedAndChangesNothing() throws {
        let box = try Sandbox()
        try box.drop("a.json", goodFinding)
        try box.zwgk(["daemon", "--once"])
        let before = try box.totals()
        try box.drop("a.json", goodFinding)  // the same name again
        try box.drop("b.json", goodFinding)
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.out.contains("重复 2"))
        #expect(box.names(box.accepted) == ["a.json", "a~2.json", "b.json"])
        #expect(try box.totals() == before)
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "1")
    }

    @Test func aConflictingIdIsRejected() throws {
        let box = try Sandbox()
        try box.drop("a.json", goodFinding)
        try box.zwgk(["daemon", "--once"])
        try box.drop("b.json", goodFinding.replacing("网上检查", with: "实地检查"))
        try box.zwgk(["daemon", "--once"])
        #expect(try box.read(box.rejected + "/b.json.why.txt").contains("冲突"))
    }

    @Test func oddEntriesAreRejectedWithoutBeingFollowedOrBlocking() throws {
        let box = try Sandbox()
        let outside = box.root + "/secret.json"
        try goodFinding.write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: box.incoming + "/link.json", withDestinationPath: outside)
        try FileManager.default.createDirectory(atPath: box.incoming + "/folder.json", withIntermediateDirectories: false)
        #expect(mkfifo(box.incoming + "/pipe.json", 0o644) == 0)
        try box.drop("empty.json", "")
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status == 0, "\(run.err)")
        #expect(box.names(box.incoming).isEmpty)
        #expect(try box.read(box.rejected + "/link.json.why.txt").contains("符号链接"))
        #expect(try box.read(box.rejected + "/folder.json.why.txt").contains("文件夹"))
        #expect(try box.read(box.rejected + "/pipe.json.why.txt").contains("不是普通文件"))
        #expect(try box.read(box.rejected + "/empty.json.why.txt").contains("0字节"))
        #expect(try box.read(outside) == goodFinding, "the link's target was touched")
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "0")
    }

    @Test func aSecondProcessOnTheSameStateIsRefused() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(atPath: box.state, withIntermediateDirectories: true)
        let fd = open(box.state + "/zwgk.lock", O_RDWR | O_CREAT, 0o644)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        _ = "4242\n".withCString { write(fd, $0, 5) }
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status != 0)
        #expect(run.err.contains("pid 4242"))
    }

    @Test func aMissingUnitsFileIsAClearError() throws {
        let box = try Sandbox()
        try FileManager.default.removeItem(atPath: box.units)
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status != 0)
        #expect(run.err.contains("无法读取单位名单 \(box.units)"))
    }

    @Test func submitPlacesValidFilesSafelyAndRefusesInvalidOnes() throws {
        let box = try Sandbox()
        try goodFinding.write(toFile: box.root + "/mine.json", atomically: true, encoding: .utf8)
        try "{".write(toFile: box.root + "/broken.json", atomically: true, encoding: .utf8)
        let run = try box.zwgk(["submit", box.root + "/mine.json", box.root + "/broken.json"])
        #expect(run.status == 1)
        #expect(run.out.contains("broken.json:未提交"))
        #expect(box.names(box.incoming) == ["mine.json"])
        #expect(try box.read(box.incoming + "/mine.json") == goodFinding)
    }
}

@Suite(.timeLimit(.minutes(10))) struct CrashAtChosenPoints {
    /// Kills `daemon --once` with SIGKILL at a point, restarts it, and checks nothing is lost or doubled.
    @Test(arguments: ["after-read", "after-commit", "after-move"])
    func killedAndRestarted(_ point: String) throws {
        let box = try Sandbox()
        for i in 1...5 {
            try box.drop(
                "f\(i).json", #"{"type": "finding", "id": "k-\#(i)", "year": 2023, "date": "2023-05-0\#(i)", "unit": "城东街道", "indicator": "已公布标准目录执行情况"}"#)
        }
        try box.drop("bad.json", "{")
        let crashed = try box.zwgk(["daemon", "--once"], environment: ["ZWGK_FAULT": point])
        #expect(crashed.signal == SIGKILL, "no crash at \(point)")
        let rerun = try box.zwgk(["daemon", "--once"])
        #expect(rerun.status == 0, "\(rerun.err)")
        #expect(box.names(box.incoming).isEmpty)
        #expect(box.names(box.accepted) == (1...5).map { "f\($0).json" })
        #expect(box.names(box.rejected) == ["bad.json", "bad.json.why.txt"])
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "5")
        #expect(try box.sql("SELECT COUNT(*) FROM files") == "6")
        #expect(try box.totals()["城东街道"] == "97.5")  // 100 − 5 × 0.5
    }

    @Test func aFileLeftByACrashIsFinishedButALaterOneOfTheSameNameIsDecidedAfresh() throws {
        let box = try Sandbox(units: "[[unit]]\nname = \"城东街道\"\nclass = \"A\"\n")
        let record = #"{"type": "finding", "id": "x1", "year": 2023, "date": "2023-05-01", "unit": "市财政局", "indicator": "财政预决算"}"#
        try box.drop("a.json", record)  // 市财政局 is not in this units file: rejected
        let crashed = try box.zwgk(["daemon", "--once"], environment: ["ZWGK_FAULT": "after-commit"])
        #expect(crashed.signal == SIGKILL)
        // The rejection was decided and journaled; the file is still in incoming/: the restart finishes its move.
        try box.zwgk(["daemon", "--once"])
        #expect(box.names(box.rejected) == ["a.json", "a.json.why.txt"])
        #expect(try box.sql("SELECT COUNT(*) FROM files") == "1")

        // The units file is fixed; a crash leaves the next journal row of the same name unfinished too.
        try (try box.read(box.units) + "[[unit]]\nname = \"市财政局\"\nclass = \"B\"\n").write(toFile: box.units, atomically: true, encoding: .utf8)
        _ = try box.sql("UPDATE files SET stored_as = NULL")
        try box.drop("a.json", record)  // the same bytes, dropped again later
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status == 0)
        #expect(box.names(box.accepted) == ["a.json"], "decided afresh, not by the stale rejection")
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "1")
        #expect(try box.sql("SELECT COUNT(*) FROM files WHERE stored_as IS NULL") == "0")
    }

    /// Every file dropped is answered: an old Excel or a WPS workbook, a text file or a name without an extension
    /// goes to rejected/ saying what to do, and `validate` and `submit` give the same answer; until the daemon
    /// takes them, `status` counts them as waiting.
    @Test func filesZwgkDoesNotReadAreAnsweredWithWhatToDo() throws {
        let box = try Sandbox()
        let reasons = [
            "q3.xls": "请在 Excel/WPS 中“另存为”Excel 工作簿(*.xlsx)", "检查.et": "WPS 表格文件(.et)",
            "notes.TXT": "表格记录请另存为 .csv", "记录": "没有扩展名", "a.docx": "不读取 .docx 文件",
        ]
        for name in reasons.keys { try "[]".write(toFile: box.incoming + "/" + name, atomically: false, encoding: .utf8) }
        #expect(try box.zwgk(["status"]).out.contains("待处理:5 个文件"))
        for (name, reason) in reasons {
            let copy = box.root + "/" + name
            try "[]".write(toFile: copy, atomically: false, encoding: .utf8)
            let validate = try box.zwgk(["validate", copy])
            #expect(validate.status == 1 && validate.out.contains(reason) && validate.out.contains("只接收 .json、.xlsx 和 .csv"), "\(validate.out)")
            #expect(try box.zwgk(["submit", copy]).status == 1)
        }
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status == 0 && run.out.contains("拒收 5"), "\(run.out)\(run.err)")
        #expect(box.names(box.incoming).isEmpty)
        for (name, reason) in reasons {
            #expect(box.names(box.rejected).contains(name))
            let why = try box.read(box.rejected + "/" + name + ".why.txt")
            #expect(why.contains(reason) && why.contains("只接收 .json、.xlsx 和 .csv"), "\(name): \(why)")
        }
    }
}
