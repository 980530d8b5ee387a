import Foundation
import Testing
import ZwgkFormats
import ZwgkTestSupport

@testable import ZwgkService

/// Snapshot files are streamed to disk and hashed as they are written.
@Suite(.timeLimit(.minutes(10))) struct StreamedFiles {
    @Test func contentAndHashSurviveManyFlushes() throws {
        let folder = NSTemporaryDirectory() + "zwgk-stream-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/report.html"
        var expected = ""
        let stream = try FileTextStream(creating: path)
        for i in 0..<60_000 {
            let piece = "<tr><td>第\(i)行</td><td>\(String(repeating: "政务公开", count: i % 7))</td></tr>\n"
            stream.write(piece)
            expected += piece
        }
        let hash = try stream.finish()
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written.count > 3 << 20)  // several 1 MiB flushes
        #expect(written == Data(expected.utf8))
        #expect(hash == ContentHash.hex(Array(written)))
        // A snapshot's files are new files: an existing one is never written into.
        #expect(throws: FS.Failure.self) { _ = try FileTextStream(creating: path) }
    }
}
