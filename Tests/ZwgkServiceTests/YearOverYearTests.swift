import Foundation
import Testing
import ZwgkFormats
import ZwgkTestSupport

/// Two assessment years through the real binary: 2023 under its units file, then 2024 with a renamed unit, a new
/// unit and a rubric of its own (Fixtures/rubric-2024.json: 已公布标准目录执行情况 replaced by
/// 基层政务公开标准化规范化, 信息公开指南 4 → 6, so class A's base is 102 and B's 105).
@Suite(.timeLimit(.minutes(10))) struct TwoYears {
    static let units2023 = """
        [[unit]]
        name = "城东街道"
        class = "A"

        [[unit]]
        name = "城西街道"
        class = "A"

        [[unit]]
        name = "市财政局"
        class = "B"

        [[unit]]
        name = "市发改局"
        class = "B"
        """

    static let units2024 = """
        [[unit]]
        name = "城东街道"
        class = "A"

        [[unit]]
        name = "城西新区街道"
        class = "A"
        formerly = ["城西街道"]

        [[unit]]
        name = "城南街道"
        class = "A"

        [[unit]]
        name = "市财政局"
        class = "B"

        [[unit]]
        name = "市发改局"
        class = "B"
        """

    static func record(_ id: String, _ year: Int, _ unit: String, _ indicator: String, count: Int = 1) -> String {
        #"{"type": "finding", "id": "\#(id)", "year": \#(year), "date": "\#(year)-06-01", "unit": "\#(unit)", "indicator": "\#(indicator)", "count": \#(count)}"#
    }

    /// 2023 under its units file (annual snapshot written), then 2024's units file and records, nothing of 2024 written.
    static func twoYears(snapshot2023: Bool = true) throws -> Sandbox {
        let box = try Sandbox(units: TwoYears.units2023)
        try box.configure("rubrics = {2024 = \"\(fixturePath("rubric-2024.json"))\"}")
        // 2023: 城东街道 96, 城西街道 98 (A: 城西 1st, 城东 2nd); 市财政局 99, 市发改局 103 with no record at all.
        try box.drop(
            "2023.json",
            "["
                + [
                    record("a1", 2023, "城东街道", "财政预决算"),
                    record("a2", 2023, "城西街道", "机构职能"),
                    record("a3", 2023, "市财政局", "财政预决算"),
                ].joined(separator: ",") + "]")
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        if snapshot2023 { #expect(try box.zwgk(["snapshot", "--period", "2023-annual"]).status == 0) }

        // 2024: 城西街道 is renamed, 城南街道 is new. 城东街道 102, 城南街道 100, 城西新区街道 99; both B units 105.
        try TwoYears.units2024.write(toFile: box.units, atomically: true, encoding: .utf8)
        try box.drop(
            "2024.json",
            "["
                + [
                    record("b1", 2024, "城西新区街道", "基层政务公开标准化规范化", count: 3),
                    record("b2", 2024, "城南街道", "信息公开指南", count: 2),
                ].joined(separator: ",") + "]")
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(box.names(box.rejected).isEmpty)
        return box
    }

    @Test func theAnnualReportComparesEachUnitWithTheYearBefore() throws {
        let box = try TwoYears.twoYears()
        let written = try box.zwgk(["snapshot", "--period", "2024-annual"])
        #expect(written.status == 0, "\(written.err)")

        let folder = box.reports + "/2024/annual"
        guard case .object(let doc) = try JSONReader.parse(try box.read(folder + "/scores.json")),
            case .array(let list)? = doc["units"]
        else { throw UnexpectedOutput(description: "scores.json has no units") }
        var lastYear: [String: [String: JSONValue]] = [:]
        var totals: [String: JSONValue] = [:]
        for case .object(let u) in list {
            guard case .string(let name)? = u["unit"], case .object(let l)? = u["last_year"] else { continue }
            lastYear[name] = Dictionary(uniqueKeysWithValues: l.members.map { ($0.key, $0.value) })
            totals[name] = u["total"]
        }
        #expect(
            totals == [
                "城东街道": .number("102"), "城南街道": .number("100"), "城西新区街道": .number("99"),
                "市财政局": .number("105"), "市发改局": .number("105"),
            ])
        #expect(
            lastYear["城东街道"] == [
                "year": .number("2023"), "total": .number("96"), "rank": .number("2"),
                "total_change": .number("6"), "rank_change": .number("1"), "share_change": .number("4"),
            ])
        // 99/102 − 98/100 = −0.94 percentage points.
        #expect(
            lastYear["城西新区街道"] == [
                "year": .number("2023"), "unit": .string("城西街道"), "total": .number("98"),
                "rank": .number("1"), "total_change": .number("1"), "rank_change": .number("-2"),
                "share_change": .number("-0.94"),
            ])
        #expect(lastYear["城南街道"] == ["year": .number("2023"), "new": .bool(true)])
        // 105/105 − 99/103 = 3.88 points; 市发改局 had no record in 2023 but the 2023 annual snapshot lists it.
        #expect(
            lastYear["市财政局"] == [
                "year": .number("2023"), "total": .number("99"), "rank": .number("2"),
                "total_change": .number("6"), "rank_change": .number("1"), "share_change": .number("3.88"),
            ])
        #expect(
            lastYear["市发改局"] == [
                "year": .number("2023"), "total": .number("103"), "rank": .number("1"),
                "total_change": .number("2"), "rank_change": .number("0"), "share_change": .number("0"),
            ])

        guard case .array(let classes)? = doc["classes"] else { throw UnexpectedOutput(description: "scores.json has no classes") }
        var mostImproved: [String: [String]] = [:]
        for case .object(let c) in classes {
            guard case .string(let name)? = c["class"], case .array(let list)? = c["most_improved"] else { continue }
            mostImproved[name] = list.compactMap { if case .object(let o) = $0, case .string(let u)? = o["unit"] { u } else { nil } }
        }
        #expect(mostImproved == ["A": ["城东街道"], "B": ["市财政局"]])

        let html = try box.read(folder + "/report.html")
        let improved = try #require(html.range(of: "进步最大的单位"))
        let rest = html[improved.lowerBound...]
        let section = String(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
        #expect(section.contains("城东街道") && section.contains("市财政局"))
        #expect(!section.contains("城西新区街道") && !section.contains("市发改局"))
        #expect(html.contains("以“城西街道”参加考核"))
        #expect(html.contains("新增单位,无上年度考核结果"))
        let csv = try box.read(folder + "/scores.csv")
        #expect(csv.contains("2023年总分,2023年排名,名次变化"))
        // The quarterly snapshots make no comparison with the year before.
        #expect(try box.zwgk(["snapshot", "--period", "2024-Q2"]).status == 0)
        #expect(!(try box.read(box.reports + "/2024/Q2/scores.json")).contains("last_year"))
    }

    /// The `last_year` objects of the 2024 annual snapshot, by unit.
    static func lastYear(_ box: Sandbox) throws -> [String: [String: JSONValue]] {
        guard case .object(let doc) = try JSONReader.parse(try box.read(box.reports + "/2024/annual/scores.json")),
            case .array(let list)? = doc["units"]
        else { throw UnexpectedOutput(description: "scores.json has no units") }
        var result: [String: [String: JSONValue]] = [:]
        for case .object(let u) in list {
            guard case .string(let name)? = u["unit"], case .object(let l)? = u["last_year"] else { continue }
            result[name] = Dictionary(uniqueKeysWithValues: l.members.map { ($0.key, $0.value) })
        }
        return result
    }

    /// Without last year's annual snapshot, last year is scored from its records: a unit no record named then is new.
    @Test func withoutLastYearsSnapshotItsRecordsAreScored() throws {
        let box = try TwoYears.twoYears(snapshot2023: false)
        #expect(try box.zwgk(["snapshot", "--period", "2024-annual"]).status == 0)
        let lastYear = try TwoYears.lastYear(box)
        #expect(lastYear["城西新区街道"]?["unit"] == .string("城西街道") && lastYear["城西新区街道"]?["total"] == .number("98"))
        #expect(lastYear["城东街道"]?["rank"] == .number("2"))
        #expect(lastYear["城南街道"] == ["year": .number("2023"), "new": .bool(true)])
        // 市发改局 had no record in 2023 and no snapshot lists it.
        #expect(lastYear["市发改局"] == ["year": .number("2023"), "new": .bool(true)])
        #expect(lastYear["市财政局"]?["rank"] == .number("1"))
    }

    /// With last year's annual snapshot, its classes and ranks are the ones compared: a unit that changed class has
    /// no change of rank and is on no 进步最大 list.
    @Test func aUnitThatChangedClassKeepsLastYearsClassAndRank() throws {
        let box = try Sandbox(units: TwoYears.units2023)
        try box.configure("rubrics = {2024 = \"\(fixturePath("rubric-2024.json"))\"}")
        try box.drop("2023.json", TwoYears.record("a1", 2023, "城西街道", "财政预决算"))
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(try box.zwgk(["snapshot", "--period", "2023-annual"]).status == 0)
        // 城东街道 (A, 1st in 2023 at 100) is class B in 2024.
        try TwoYears.units2023.replacing("name = \"城东街道\"\nclass = \"A\"", with: "name = \"城东街道\"\nclass = \"B\"")
            .write(toFile: box.units, atomically: true, encoding: .utf8)
        #expect(try box.zwgk(["snapshot", "--period", "2024-annual"]).status == 0)
        let moved = try #require(try TwoYears.lastYear(box)["城东街道"])
        #expect(moved["class"] == .string("A") && moved["rank"] == .number("1") && moved["rank_change"] == .null)
        #expect(!(try box.read(box.reports + "/2024/annual/summary.md")).contains("B类:城东街道"))
    }

    @Test func withoutLastYearsRubricThereIsNoComparison() throws {
        let box = try Sandbox(units: TwoYears.units2023)
        try box.drop("2023.json", TwoYears.record("a1", 2023, "城东街道", "财政预决算"))
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(try box.zwgk(["snapshot", "--period", "2023-annual"]).status == 0)
        // No 2022 rubric: the 2023 annual report stands alone.
        let json = try box.read(box.reports + "/2023/annual/scores.json")
        #expect(!json.contains("last_year"))
        #expect(!(try box.read(box.reports + "/2023/annual/report.html")).contains("进步最大"))
    }
}
