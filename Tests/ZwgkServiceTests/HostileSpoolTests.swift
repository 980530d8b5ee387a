import Foundation
import Testing
import ZwgkFormats
import ZwgkService
import ZwgkTestSupport

/// No file can stop intake (issue 17): a folder of hostile files beside a good one is decided in one pass of the
/// real binary, every file ends in `accepted/` or `rejected/`, and everything afterwards still works.
@Suite(.serialized, .timeLimit(.minutes(10))) struct HostileSpool {
    /// Creates a file whose name is raw bytes (which need not be UTF-8) in `folder`.
    static func create(in folder: String, rawName: [UInt8], content: String) throws {
        var path = Array((folder + "/").utf8) + rawName
        path.append(0)
        let fd = path.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
        }
        guard fd >= 0 else { throw StartFailure(message: "cannot create \(rawName): errno \(errno)") }
        _ = Array(content.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    @Test func aPassOverHostileFilesTakesTheGoodOneAndEmptiesIncoming() throws {
        let box = try Sandbox()
        try box.drop("good.json", finding("good-1"))
        // Names: the longest a file system allows (the rejection note's temporary name would be longer), not UTF-8
        // (and long: written as %XX it triples), a newline, a leading dash, terminal escapes.
        let longName = String(repeating: "长", count: 83) + ".json"  // 249 + 5 = 254 bytes
        try Self.create(in: box.incoming, rawName: Array(longName.utf8), content: "[")
        try Self.create(in: box.incoming, rawName: Array((String(repeating: "x", count: 250) + ".json").utf8), content: finding("long-2"))
        try Self.create(in: box.incoming, rawName: Array("坏".utf8.prefix(2)) + [0xFF, 0xFE] + Array(".json".utf8), content: "[")
        try Self.create(in: box.incoming, rawName: [UInt8](repeating: 0xFF, count: 240) + Array(".json".utf8), content: "[")
        try box.drop("换行\n伪造 zwgk: 接收.json", "[")
        try box.drop("-rf.json", "[")
        try box.drop("\u{1B}[31m红.json", "[")
        // Kinds: a hard link, a symbolic link, a FIFO, a folder.
        try finding("linked").write(toFile: box.root + "/original.json", atomically: false, encoding: .utf8)
        #expect(link(box.root + "/original.json", box.incoming + "/hardlink.json") == 0)
        try FileManager.default.createSymbolicLink(atPath: box.incoming + "/symlink.json", withDestinationPath: box.root + "/original.json")
        #expect(mkfifo(box.incoming + "/pipe.json", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: box.incoming + "/folder.json", withIntermediateDirectories: false)
        // Contents: oversized, a broken zip, deep nesting, control characters, the id that once trapped every snapshot.
        try box.drop("big.json", "[" + String(repeating: " ", count: 1 << 21) + "]")
        try box.drop("bad.xlsx", "PK\u{3}\u{4}" + String(repeating: "\u{0}", count: 64))
        try box.drop("deep.json", String(repeating: "[", count: 100_000))
        try box.drop(
            "control.json",
            #"{"type": "finding", "id": "ctl\u001b[2J", "year": 2023, "date": "2023-05-02", "unit": "城东街道", "indicator": "已公布标准目录执行情况", "note": "换行\n\u0000\u001b[31m"}"#
        )
        try box.drop("trap.json", finding("-e-9223372036854775808", date: "2023-05-03"))

        let once = try box.zwgk(["daemon", "--once"])
        #expect(once.status == 0 && once.signal == nil, "\(once.status) \(once.out)\(once.err)")
        #expect(box.names(box.incoming).isEmpty, "left in incoming/: \(box.names(box.incoming))")
        let accepted = box.names(box.accepted)
        #expect(accepted.contains("good.json") && accepted.contains("trap.json"), "\(accepted)")
        #expect(accepted.contains { $0.hasPrefix("xxxx") && $0.utf8.count <= 247 }, "\(accepted)")
        let rejected = box.names(box.rejected)
        for name in rejected where !name.hasSuffix(".why.txt") {
            #expect(rejected.contains(name + ".why.txt"), "\(name) has no .why.txt")
            #expect(name.utf8.count + ".why.txt".utf8.count <= 255)
        }
        let why = try box.read(box.rejected + "/hardlink.json.why.txt")
        #expect(why.contains("硬链接"), "\(why)")
        let forged = try box.read(box.rejected + "/换行\n伪造 zwgk: 接收.json.why.txt")
        #expect(forged.hasPrefix("文件:换行\\n伪造 zwgk: 接收.json\n"), "\(forged)")
        // Every line of the log is one line: a newline or escape in a name forges nothing.
        #expect(!(once.out + once.err).split(separator: "\n").contains { $0.hasPrefix("伪造") }, "\(once.err)")
        #expect(!(once.out + once.err).utf8.contains(0x1B))

        // Afterwards every command still works.
        for args in [
            ["snapshot", "--period", "2023-annual"], ["rectification", "--format", "csv"], ["verify"],
            ["history", "--unit", "城东街道"], ["scores", "--year", "2023"],
        ] {
            let r = try box.zwgk(args)
            #expect(r.status == 0 && r.signal == nil, "zwgk \(args.joined(separator: " ")): \(r.status) \(r.err)")
            #expect(!r.out.utf8.contains(0x1B), "zwgk \(args.joined(separator: " ")) printed an escape")
        }
        let status = try box.zwgk(["status"])
        #expect(status.status == 3 && status.signal == nil, "\(status.out)\(status.err)")  // 3: the daemon is not running
        #expect(status.out.contains("状态:未运行") && !status.out.utf8.contains(0x1B), "\(status.out)")
    }

    /// `validate` and `submit` read as the daemon does: a file with a second hard link is refused, in Chinese.
    @Test func aHardLinkedFileIsRefusedByValidateAndSubmit() throws {
        let box = try Sandbox()
        try finding("h1").write(toFile: box.root + "/a.json", atomically: false, encoding: .utf8)
        #expect(link(box.root + "/a.json", box.root + "/b.json") == 0)
        for command in ["validate", "submit"] {
            let r = try box.zwgk([command, box.root + "/a.json"])
            #expect(r.status == 1 && r.out.contains("硬链接"), "\(command): \(r.out)\(r.err)")
        }
        #expect(box.names(box.incoming).isEmpty)
        unlink(box.root + "/b.json")
        #expect(try box.zwgk(["validate", box.root + "/a.json"]).status == 0)
    }

    /// `validate` shows a name or text from a file without its terminal escapes.
    @Test func validatePrintsNoTerminalEscape() throws {
        let box = try Sandbox()
        let path = box.root + "/\u{1B}[2J坏.json"
        try "[\u{1B}]".write(toFile: path, atomically: false, encoding: .utf8)
        let r = try box.zwgk(["validate", path])
        #expect(r.status == 1 && r.out.contains(#"\u{1B}[2J坏.json"#), "\(r.out)")
        #expect(!r.out.utf8.contains(0x1B) && !r.err.utf8.contains(0x1B))
    }

    /// `submit` of a file whose name is as long as a name may be: placed (its temporary name would be too long).
    @Test func submitPlacesAFileOfTheLongestName() throws {
        let box = try Sandbox()
        let name = String(repeating: "名", count: 83) + ".json"
        try finding("s1").write(toFile: box.root + "/" + name, atomically: false, encoding: .utf8)
        let r = try box.zwgk(["submit", box.root + "/" + name])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(box.names(box.incoming).count == 1)
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(box.names(box.accepted).count == 1 && box.names(box.incoming).isEmpty)
    }

    /// A file the daemon may read but not move (a sticky `incoming/` and another user's file) is decided, reported
    /// once, and does not hold back the files beside it.
    @Test func aFileThatCannotBeMovedIsReportedOnceAndTheOthersGoOn() throws {
        let box = try Sandbox()
        for folder in [box.spool, box.incoming, box.accepted, box.rejected, box.reports, box.state] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.ownerAccountID: 4242, .groupOwnerAccountID: 4242], ofItemAtPath: folder)
        }
        // incoming/ is root's, writable by all and sticky: the service may not rename a file it does not own.
        try FileManager.default.setAttributes([.ownerAccountID: 0, .posixPermissions: 0o1777], ofItemAtPath: box.incoming)
        try box.drop("stuck.json", finding("st1"))  // root's
        try box.drop("free.json", finding("fr1"))
        try FileManager.default.setAttributes([.ownerAccountID: 4242], ofItemAtPath: box.incoming + "/free.json")
        // Written an hour ago: without a lease on another user's file, the daemon takes a file changed in the last
        // second as still being written.
        for name in ["stuck.json", "free.json"] {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: box.incoming + "/" + name)
        }
        let service = ["/usr/bin/setpriv", "--reuid=4242", "--regid=4242", "--clear-groups"]
        let first = try box.zwgk(["daemon", "--once"], runAs: service)
        #expect(first.status == 0, "\(first.out)\(first.err)")
        #expect(box.names(box.accepted) == ["free.json"], "\(first.err)")
        #expect(box.names(box.incoming) == ["stuck.json"])
        #expect((first.out + first.err).components(separatedBy: "无法移走 stuck.json").count == 2, "\(first.out)\(first.err)")
        #expect(first.out.contains("1 个已判定但无法移出 incoming/"), "\(first.out)")
        // Once its owner lets go, the next pass finishes the move without deciding it again.
        try FileManager.default.setAttributes([.ownerAccountID: 4242], ofItemAtPath: box.incoming + "/stuck.json")
        #expect(try box.zwgk(["daemon", "--once"], runAs: service).status == 0)
        #expect(box.names(box.accepted) == ["free.json", "stuck.json"] && box.names(box.incoming).isEmpty)
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "2")
    }
}
