import Foundation
import Testing
import ZwgkTestSupport

/// The watchdog follows progress, not the loop: under the shipped unit with `WatchdogSec=` lowered below the time
/// the start's snapshots take, the daemon is never killed; a pass that is truly stuck still is.
@Suite(.serialized, .timeLimit(.minutes(15))) struct WatchdogUnderLoad {
    /// `n` findings for the example's units, ids `prefix-1…n`, spread over 2023.
    static func findings(_ prefix: String, _ n: Int) -> String {
        let units = ["城东街道", "城西街道", "城北街道", "虞乡镇", "卿头镇"]
        return "["
            + (1...n).map { i in
                #"{"type": "finding", "id": "\#(prefix)-\#(i)", "year": 2023, "date": "2023-\#(String(format: "%02d", 1 + i % 12))-15", "unit": "\#(units[i % units.count])", "indicator": "综合加分项", "points": 1}"#
            }.joined(separator: ",") + "]"
    }

    /// Seconds (systemd's monotonic clock) of the first journal line of the unit containing `text`.
    static func when(_ text: String, in journal: String) -> Double? {
        guard let line = journal.split(separator: "\n").first(where: { $0.contains(text) }),
            let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]")
        else { return nil }
        return Double(line[line.index(after: open)..<close].trimmingCharacters(in: .whitespaces))
    }

    @Test func longSnapshotsDoNotTripALowWatchdogButAStuckPassDoes() async throws {
        // (Blocks for minutes: on a thread of its own, not one of the cooperative pool's.)
        try await blocking {
            let install = try SystemdInstall(watchdogSec: "5s")
            defer { install.down() }
            // 50,000 findings of 2023, waiting at start: all five 2023 snapshots fall due once they are merged.
            for f in 0..<10 { try install.drop("big-\(f).json", Self.findings("w\(f)", 5000)) }
            try install.up()
            #expect(try install.inside(["systemctl", "start", "zwgk"]).0 == 0)
            let annual = install.work + "/reports/2023/annual/manifest.json"
            #expect(eventually(600) { FileManager.default.fileExists(atPath: annual) }, "\(install.journal(["-n", "50"]))")
            #expect(try install.show("NRestarts") == "0", "\(install.journal(["-n", "50"]))")
            #expect(try install.show("ActiveState") == "active")
            #expect((try? FileManager.default.contentsOfDirectory(atPath: install.accepted))?.count == 10)
            // The test means something only if writing the snapshots took longer than WatchdogSec.
            let journal = install.journal(["-o", "short-monotonic"])
            let started = Self.when("完整性校验通过", in: journal)
            let done = Self.when("已生成 2023-annual 快照", in: journal)
            let took = (done ?? 0) - (started ?? 0)
            print("five 2023 snapshots of 50,000 records under WatchdogSec=5s: \(String(format: "%.1f", took)) s, NRestarts=0")
            #expect(took > 5, "the snapshots took \(took) s, not longer than WatchdogSec: \(journal.suffix(2000))")

            // A stuck pass, under the same watchdog: killed and restarted.
            try install.dropIn("stuck", "[Service]\nEnvironment=ZWGK_FAULT=stuck\n")
            _ = try install.inside(["systemctl", "restart", "zwgk"])
            try install.drop("late.json", finding("late-1"))
            #expect(eventually(60) { (try? install.show("Result")) == "watchdog" }, "Result=\((try? install.show("Result")) ?? "?")")
            #expect(eventually(60) { (Int((try? install.show("NRestarts")) ?? "") ?? 0) >= 1 })
            try install.dropIn("stuck", nil)
            _ = try install.inside(["systemctl", "stop", "zwgk"])
        }
    }
}
