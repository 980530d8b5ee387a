import RubricEngine
import Testing

@Suite(.timeLimit(.minutes(10))) struct RubricFile {
    static let minimal = """
        {"year": 2030, "version": "t", "title": "测试",
         "classes": [{"class": "A", "title": "A类", "rows": ["R1", "R2"]}],
         "rows": [
           {"id": "R1", "name": "财政预决算", "group": "主动公开", "base": 4, "deductionCap": 4, "clauses": [{"deduct": 4, "per": "once"}]},
           {"id": "R2", "name": "赋分", "assigned": [-3, 3], "applies": "assigned"}
         ]}
        """

    @Test func loadsAnotherYearFromData() throws {
        let r = try Rubric.load(json: Array(Self.minimal.utf8))
        #expect(r.year == 2030)
        #expect(r.rows(of: "A").map(\.name) == ["财政预决算", "赋分"])
    }

    @Test(arguments: [
        ("\"deduct\": 4, \"per\": \"once\"", "\"deduct\": 4, \"per\": \"twice\"", "rows[0] R1 clauses[0]", "per 只能是"),
        ("\"assigned\": [-3, 3]", "\"assigned\": [3, -3]", "rows[1] R2", "最低分大于最高分"),
        ("\"base\": 4,", "\"base\": 4.125,", "rows[0] R1", "base 必须是最多两位小数的数字"),
        ("\"rows\": [\"R1\", \"R2\"]", "\"rows\": [\"R1\", \"R9\"]", "classes[0] A", "R9"),
        ("\"group\": \"主动公开\",", "\"group\": \"主动公开\", \"cap\": 4,", "rows[0] R1", "未知字段“cap”"),
        ("{\"id\": \"R2\", \"name\": \"赋分\"", "{\"id\": \"R1\", \"name\": \"赋分\"", "rows[1] R1", "id 重复"),
    ])
    func brokenFileSaysWhereAndWhat(_ edit: (String, String, String, String)) {
        let text = Self.minimal.replacing(edit.0, with: edit.1)
        #expect(text != Self.minimal)
        do {
            _ = try Rubric.load(json: Array(text.utf8))
            Issue.record("accepted a broken rubric")
        } catch {
            #expect(error.place == edit.2)
            #expect(error.problem.contains(edit.3), "\(error)")
        }
    }

    @Test func malformedJSONSaysLineAndColumn() {
        #expect(throws: RubricFileError.self) { try Rubric.load(json: Array("{\n\"year\": 2030,,}".utf8)) }
        do {
            _ = try Rubric.load(json: Array("{\n\"year\": 2030,,}".utf8))
        } catch {
            #expect(error.description.contains("第2行"))
        }
    }

    @Test func namesMatchWithoutQuotesSpacesOrFullWidthBrackets() {
        #expect(rubric2023.row(named: "“双公示”数据报送情况")?.name == "双公示数据报送情况")
        #expect(rubric2023.row(named: "\"双公示\"数据报送情况")?.name == "双公示数据报送情况")
        #expect(rubric2023.row(named: "检查通报情况（市月度检查）")?.name == "检查通报情况(市月度检查)")
        #expect(rubric2023.row(named: "机构、人员、经费 保障情况")?.name == "机构、人员、经费保障情况")
        #expect(rubric2023.row(named: "R08")?.name == "财政预决算")
        #expect(rubric2023.row(named: "财政决算") == nil)
    }

    @Test func clausesMatchWithOrWithoutBrackets() {
        let row = rubric2023.row(named: "重大扣分项")!
        #expect(row.clause(named: "(三)")?.name == "三")
        #expect(row.clause(named: "（三）")?.name == "三")
        #expect(row.clause(named: "七") == nil)
    }
}

@Suite(.timeLimit(.minutes(10))) struct UnitsFile {
    @Test func readsUnitsWithAssignedRows() throws {
        let roster = try UnitRoster.load(
            toml: """
                # comment
                [[unit]]
                name = "市发改局"
                class = "B"
                assigned = ["双公示排名情况", "促进民营经济发展壮大"]   # rows that apply only to assigned units

                [[unit]]
                name = '城东街道'
                class = "A"
                """, rubrics: [rubric2023])
        #expect(roster.units.map(\.name) == ["市发改局", "城东街道"])
        #expect(roster["市发改局"]!.assigned == ["双公示排名情况", "促进民营经济发展壮大"])
    }

    @Test func reportsEveryProblemWithItsLine() {
        do {
            _ = try UnitRoster.load(
                toml: """
                    [[unit]]
                    name = "市发改局"
                    class = "C"

                    [[unit]]
                    name = "市财政局"
                    class = "B"
                    assigned = ["行政事业性收费用"]

                    [[unit]]
                    name = "市财政局"
                    class = "B"
                    """, rubrics: [rubric2023])
            Issue.record("accepted a broken units file")
        } catch {
            let lines = error.errors.map(\.description)
            #expect(lines.count == 3, "\(lines)")
            #expect(lines[0].hasPrefix("第1行") && lines[0].contains("class"))
            #expect(lines[1].hasPrefix("第5行") && lines[1].contains("行政事业性收费"))
            #expect(lines[2].hasPrefix("第10行") && lines[2].contains("重复"))
        }
    }

    @Test func unknownKeysAreReportedOnTheirOwnLines() {
        do {
            _ = try UnitRoster.load(
                toml: """
                    title = "名单"
                    [[unit]]
                    name = "城东街道"
                    class = "A"
                    clas = "B"
                    """, rubrics: [rubric2023])
            Issue.record("accepted unknown keys")
        } catch {
            let lines = error.errors.map(\.description)
            #expect(lines.count == 2, "\(lines)")
            #expect(lines[0].hasPrefix("第1行") && lines[0].contains("title"))
            #expect(lines[1].hasPrefix("第5行") && lines[1].contains("clas"))
        }
    }

    @Test func harmlessAssignmentsAreWarningsNotErrors() throws {
        let roster = try UnitRoster.load(
            toml: """
                [[unit]]
                name = "城东街道"
                class = "A"
                assigned = ["双公示排名情况"]

                [[unit]]
                name = "市财政局"
                class = "B"
                assigned = ["财政预决算", "行政事业性收费"]
                """, rubrics: [rubric2023])
        #expect(roster["城东街道"]!.assigned.isEmpty)
        #expect(roster["市财政局"]!.assigned == ["行政事业性收费"])
        let warnings = roster.warnings.map(\.description)
        #expect(warnings.count == 2)
        #expect(warnings[0].hasPrefix("第1行") && warnings[0].contains("A类没有指标"))
        #expect(warnings[1].hasPrefix("第6行") && warnings[1].contains("适用于全部单位"))
    }
}

extension UnitsFile {
    @Test func aRenamedUnitIsFoundByItsFormerName() throws {
        let roster = try UnitRoster.load(
            toml: """
                [[unit]]
                name = "城东街道"
                class = "A"

                [[unit]]
                name = "城西新区街道"
                class = "A"
                formerly = ["城西街道", "城西乡"]
                """, rubrics: [rubric2023])
        #expect(roster["城西街道"]?.name == "城西新区街道")
        #expect(roster["城西乡"]?.name == "城西新区街道")
        #expect(roster.position(of: "城西街道") == 1)
        #expect(roster["城西新区街道"]!.formerly == ["城西街道", "城西乡"])
        #expect(roster["城东街道"]!.formerly.isEmpty)
    }

    @Test func formerNamesThatClashAreRefusedWithTheirLines() {
        do {
            _ = try UnitRoster.load(
                toml: """
                    [[unit]]
                    name = "城东街道"
                    class = "A"
                    formerly = ["城西街道"]

                    [[unit]]
                    name = "城西街道"
                    class = "A"

                    [[unit]]
                    name = "城南街道"
                    class = "A"
                    formerly = ["城南街道", 3]

                    [[unit]]
                    name = "城北街道"
                    class = "A"
                    formerly = "城北乡"
                    """, rubrics: [rubric2023])
            Issue.record("accepted clashing former names")
        } catch {
            let lines = error.errors.map(\.description)
            #expect(lines.count == 4, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("第10行") && $0.contains("与现名相同") })
            #expect(lines.contains { $0.hasPrefix("第10行") && $0.contains("非空") })
            #expect(lines.contains { $0.hasPrefix("第15行") && $0.contains("字符串数组") })
            #expect(lines.contains { $0.hasPrefix("第1行") && $0.contains("既是现有单位名称") })
        }
    }
}

@Suite(.timeLimit(.minutes(10))) struct ExactNumbers {
    @Test(arguments: [
        ("0.5", 50), ("4", 400), ("-3", -300), ("2.25", 225), ("1e1", 1000), ("12.50", 1250),
        ("1.230", 123), ("-0", 0), ("2.5E-1", 25),
    ])
    func parses(_ c: (String, Int64)) {
        #expect(Points(exactly: c.0)?.hundredths == c.1)
    }

    @Test(arguments: ["0.125", "1e-3", "abc", "", "1.", ".5", "1e400", "99999999999999999999"])
    func refuses(_ s: String) {
        #expect(Points(exactly: s) == nil)
    }

    /// Exponents at the ends of Int: read as numbers, they once trapped in `abs(Int.min)`.
    @Test(
        .timeLimit(.minutes(10)),
        arguments: [
            "1e-9223372036854775808", "-e-9223372036854775808", "1E9223372036854775807",
            "-5e-9223372036854775808", "0x1p3", "nan", "inf", "1e-40", "1e40",
        ])
    func refusesExtremeExponentsWithoutTrapping(_ s: String) {
        #expect(Points(exactly: s) == nil)
    }

    @Test func printsShortestExactForm() {
        #expect([pts("95.5"), pts("4"), pts("-0.25"), pts("0.05"), pts("-3.1")].map(\.description) == ["95.5", "4", "-0.25", "0.05", "-3.1"])
    }

    @Test func daysAndPeriods() {
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2023-4-1") == nil)
        #expect(Day("2023-13-01") == nil)
        #expect(Period("2023-Q2")!.cutoff == day("2023-06-30"))
        #expect(Period("2023-Q3")!.cutoff == day("2023-09-30"))
        #expect(Period("2023-annual")!.cutoff == day("2023-12-31"))
        #expect(Period("2023-Q5") == nil)
    }
}

@Suite(.timeLimit(.minutes(10))) struct Suggestions {
    @Test func shortTextsGetSuggestionsAndLongOnesNone() {
        #expect(closest(to: "财政决算", among: ["财政预决算", "政府信息公开"]) == ["财政预决算"])
        // A million characters once took 14 s of edit distance: past the limit there is none to compute.
        #expect(closest(to: String(repeating: "财", count: 1_000_000), among: ["财政预决算"]).isEmpty)
        #expect(closest(to: String(repeating: "财", count: closestTextLimit + 1), among: ["财政预决算"]).isEmpty)
    }
}
