import Foundation
import Testing

@testable import ZwgkService

/// Names zwgk makes always fit a file system's 255 bytes and stay one name in one folder.
@Suite(.timeLimit(.minutes(10))) struct FileNames {
    @Test func aSafeNameIsOneShortNameInTheFolder() {
        #expect(FileName.safe("市财政局", suffix: "-2023-annual.html") == "市财政局-2023-annual.html")
        #expect(FileName.safe("../x", suffix: ".html") == "_._x.html")
        #expect(FileName.safe("a/b\u{0}c\nd", suffix: ".html") == "a_b_c_d.html")
        #expect(FileName.safe("-rf", suffix: ".html") == "_rf.html")
        #expect(FileName.safe("", suffix: ".html") == "_.html")
        let long = FileName.safe(String(repeating: "长", count: 200), suffix: "-2023-Q1.html")
        #expect(long.utf8.count <= 255 && long.hasSuffix("长-2023-Q1.html"))
    }

    /// The temporary name of an atomic write fits even for the longest name, and two long names never share one.
    @Test func temporaryNamesFitAndDiffer() {
        let a = String(repeating: "名", count: 82) + "a.json.why.txt"
        let b = String(repeating: "名", count: 82) + "b.json.why.txt"
        let (ta, tb) = (FS.temporaryName(for: a), FS.temporaryName(for: b))
        #expect(ta.utf8.count <= 255 && tb.utf8.count <= 255 && ta != tb && ta.hasPrefix(".") && ta.hasSuffix(".tmp"))
        #expect(FS.temporaryName(for: "x.json") == ".x.json.\(getpid()).tmp")
    }

    /// A free name keeps the extension and room for `.why.txt`, with `~N` where the name is taken.
    @Test func freeNamesLeaveRoomForTheirNote() throws {
        let folder = NSTemporaryDirectory() + "zwgk-names-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spool = Spool(root: folder)
        let name = String(repeating: "x", count: 250) + ".json"
        let first = spool.freeName(for: name, in: folder)
        #expect(first.utf8.count == Spool.nameMax && first.hasSuffix(".json"))
        FileManager.default.createFile(atPath: folder + "/" + first, contents: nil)
        let second = spool.freeName(for: name, in: folder)
        #expect(second.utf8.count <= Spool.nameMax && second.hasSuffix("~2.json"), "\(second)")
        #expect(spool.freeName(for: "a.json", in: folder) == "a.json")
    }
}
