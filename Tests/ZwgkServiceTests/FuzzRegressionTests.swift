import Foundation
import Testing
import ZwgkTestSupport

/// Every input a fuzz target crashed on (`Fixtures/fuzz-regressions`, listed in its README) is now answered: the
/// drop files are refused by `validate` with a reason and the daemon moves them to rejected/; the configuration and
/// units files are refused with an error. None may crash the binary.
@Suite(.timeLimit(.minutes(10))) struct FuzzRegressions {
    static func inputs(_ target: String) throws -> [String] {
        let folder = URL(fileURLWithPath: fixturePath("fuzz-regressions/README.md")).deletingLastPathComponent().appendingPathComponent(target)
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }  // no crash found for that target
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { folder.appendingPathComponent($0).path }
    }

    @Test func dropFilesAreRefusedWithAReasonNotACrash() throws {
        let box = try Sandbox()
        var dropped: [String] = []
        for target in ["json", "xlsx", "csv", "ledger"] {
            for path in try Self.inputs(target) {
                let validate = try box.zwgk(["validate", path])
                #expect(validate.signal == nil && [0, 1].contains(validate.status), "\(path): \(validate.err)")
                let name = "\(target)-" + (path as NSString).lastPathComponent
                try FileManager.default.copyItem(atPath: path, toPath: box.incoming + "/" + name)
                dropped.append(name)
            }
        }
        #expect(dropped.count >= 7)  // json 1, xlsx 5, ledger 1 (csv none yet)
        let once = try box.zwgk(["daemon", "--once"])
        #expect(once.status == 0 && once.signal == nil, "\(once.err)")
        #expect(box.names(box.incoming).isEmpty)
        // The record whose id once broke the CSV writers is accepted, and every output renders it.
        #expect(try box.zwgk(["snapshot", "--period", "2023-annual"]).status == 0)
        #expect(try box.zwgk(["rectification", "--format", "csv"]).status == 0)
    }

    @Test func configurationAndUnitsFilesAreRefusedNotACrash() throws {
        let box = try Sandbox()
        for path in try Self.inputs("toml") {
            let run = try box.zwgk(["status", "--config", path], paths: false)
            #expect(run.signal == nil && run.status != 0 && run.err.contains("嵌套"), "\(path): \(run.err)")
        }
        for path in try Self.inputs("units") {
            let run = try box.zwgk(["validate", "--units", path, fixturePath("fuzz-regressions/README.md")])
            #expect(run.signal == nil && run.status != 0, "\(path): \(run.err)")
        }
    }
}
