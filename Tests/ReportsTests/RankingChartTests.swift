import Foundation
import RubricEngine
import Testing

@testable import Reports

/// The ranking chart tells totals apart: its axis starts near the lowest total, and says where it starts.
@Suite(.timeLimit(.minutes(10))) struct RankingChart {
    @Test func theAxisStartsTenBelowTheLowestTotalsTen() {
        let floors = ["86.5": "70", "103": "90", "100": "90", "5": "0", "0": "0", "-3": "-20", "-10": "-20", "12.25": "0"]
        for (lowest, floor) in floors {
            #expect(ReportHTML.chartFloor(lowest: Points(exactly: lowest)!) == Points(exactly: floor)!, "lowest \(lowest)")
        }
    }

    @Test func changesAreInPoints() {
        #expect(ReportHTML.changeText(Points(exactly: "-1")) == "<span class=\"down\">↓ 1 分</span>")
        #expect(ReportHTML.changeText(Points(exactly: "2.5")) == "<span class=\"up\">↑ 2.5 分</span>")
        #expect(ReportHTML.changeText(.zero) == "—" && ReportHTML.changeText(nil) == "新增")
    }
}

/// One minus sign: every rendered page writes a negative amount with the ASCII hyphen-minus, as the CSV and JSON do.
@Suite(.timeLimit(.minutes(10))) struct OneMinusSign {
    @Test func noGoldenPageUsesAnotherMinus() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html") || $0.hasSuffix(".md") }
        #expect(pages.count >= 5)
        for page in pages {
            let text = try String(contentsOf: folder.appendingPathComponent(page), encoding: .utf8)
            #expect(!text.contains("\u{2212}"), "\(page) writes U+2212")
        }
    }
}
