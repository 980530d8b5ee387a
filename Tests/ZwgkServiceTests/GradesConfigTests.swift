import Foundation
import RubricEngine
import Testing
import ZwgkService

/// A temporary folder with a units file and one zwgk.toml at a time; removed when released.
private final class GradesFolder {
    let path = NSTemporaryDirectory() + "zwgk-grades-\(UUID().uuidString)"
    var file: String { path + "/zwgk.toml" }

    init() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try "[[unit]]\nname = \"城东街道\"\nclass = \"A\"\n".write(toFile: path + "/units.toml", atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `grades` after a units line as zwgk.toml (so `[grades]` is on line 2) and loads it.
    func load(_ grades: String) throws -> Config {
        try ("units = \"units.toml\"\n" + grades).write(toFile: file, atomically: true, encoding: .utf8)
        return try Config.load(path: file)
    }

    /// The problems `Config.load` reports for `grades` (and an issue if it loads).
    func problems(_ grades: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [ConfigProblem] {
        do {
            let config = try load(grades)
            Issue.record("accepted \(grades) as \(String(describing: config.grades))", sourceLocation: sourceLocation)
            return []
        } catch let error as ConfigError {
            return error.problems
        }
    }
}

@Suite(.timeLimit(.minutes(10))) struct GradesConfiguration {
    @Test func readsTheIssuesExample() throws {
        let config = try GradesFolder().load(
            """
            [grades]
            "优秀" = 90
            "良好" = 80
            "合格" = 60
            excellent_share = 0.3
            veto = ["重大扣分项"]
            [grades.B]
            "优秀" = 93
            """)
        let policy = try #require(config.grades?.policy)
        #expect(
            policy.defaults
                == GradeBands(
                    cutoffs: [(.excellent, Points(90)), (.good, Points(80)), (.pass, Points(60))],
                    excellentShare: ExactShare(literal: "0.3"), veto: ["重大扣分项"]))
        // [grades.B] is merged over [grades]: its own 优秀, the rest inherited.
        #expect(
            policy.bands(for: "B")
                == GradeBands(
                    cutoffs: [(.excellent, Points(93)), (.good, Points(80)), (.pass, Points(60))],
                    excellentShare: ExactShare(literal: "0.3"), veto: ["重大扣分项"]))
        #expect(policy.bands(for: "A") == policy.defaults)
        #expect(config.grades?.classTables == [GradesConfig.Named(name: "B", line: 8)])
    }

    @Test func noTableNoGrades() throws {
        #expect(try GradesFolder().load("").grades == nil)
    }

    @Test func aClassMayOverrideTheShareAndTheVeto() throws {
        let policy = try #require(
            try GradesFolder().load(
                """
                [grades]
                "优秀" = 90
                "合格" = 60.5
                excellent_share = 0.3
                [grades.A]
                excellent_share = 1
                veto = []
                """
            ).grades?.policy)
        #expect(policy.defaults.cutoffs.map(\.cutoff) == [pts("90"), pts("60.5")])
        #expect(policy.bands(for: "A").excellentShare == ExactShare(literal: "1"))
        #expect(policy.bands(for: "A").veto.isEmpty)
    }

    @Test func cutoffsOutOfOrderAreRefusedWithTheLine() throws {
        let folder = try GradesFolder()
        #expect(
            try folder.problems(
                """
                [grades]
                "优秀" = 90
                "良好" = 90
                """) == [ConfigProblem(line: 4, "[grades] 的分数线须按 优秀 > 良好 > 合格 严格递减,现在是 优秀 90、良好 90")])
        // In order alone, but not once merged: B's 良好 above the inherited 优秀.
        #expect(
            try folder.problems(
                """
                [grades]
                "优秀" = 90
                "良好" = 80
                [grades.B]
                "良好" = 95
                """) == [ConfigProblem(line: 6, "[grades.B] 与 [grades] 合并后的分数线须按 优秀 > 良好 > 合格 严格递减,现在是 优秀 90、良好 95")])
    }

    @Test(arguments: ["1.5", "-0.1", "2"])
    func aShareOutsideZeroToOneIsRefused(_ share: String) throws {
        let problems = try GradesFolder().problems("[grades]\n\"优秀\" = 90\nexcellent_share = \(share)\n")
        #expect(problems == [ConfigProblem(line: 4, "[grades] 中 excellent_share 必须在 0 到 1 之间(如 0.3,最多九位小数),现在是 \(share)")])
    }

    /// The share caps 优秀 places: without a 优秀 cut-off it would cap whatever band is highest.
    @Test func aShareWithoutAnExcellentCutoffIsRefused() throws {
        let problems = try GradesFolder().problems("[grades]\n\"合格\" = 60\nexcellent_share = 0.3\n")
        #expect(problems.map(\.line) == [4] && problems.first?.text.contains("没有“优秀”的分数线") == true, "\(problems)")
    }

    @Test func anUnknownBandOrKeyIsNamedWithTheNearest() throws {
        let problems = try GradesFolder().problems(
            """
            [grades]
            "优秀" = 90
            "不合格" = 50
            excelent_share = 0.3
            """)
        let known = "(可用:优秀、良好、合格、excellent_share、veto,或 [grades.类别] 表)"
        #expect(
            problems == [
                ConfigProblem(line: 4, "[grades] 中不能给“不合格”设分数线:低于最低一档分数线即为不合格"),
                ConfigProblem(line: 5, "[grades] 中未知的配置项“excelent_share”,是否是:excellent_share" + known),
            ])
    }

    @Test func aCutoffMustBeANumberWithAtMostTwoDecimals() throws {
        let folder = try GradesFolder()
        #expect(
            try folder.problems("[grades]\n\"优秀\" = \"90\"\n")
                == [ConfigProblem(line: 3, "[grades] 中“优秀”的分数线必须是数字(如 90 或 89.5),现在是字符串")])
        #expect(
            try folder.problems("[grades]\n\"优秀\" = 89.995\n")
                == [ConfigProblem(line: 3, "[grades] 中“优秀”的分数线 89.995 最多两位小数")])
        #expect(
            try folder.problems("[grades]\nexcellent_share = 0.3\n")
                == [ConfigProblem(line: 2, "[grades] 至少要写一条分数线,如 \"合格\" = 60(可用等次:优秀、良好、合格)")])
        #expect(
            try folder.problems("grades = 5\n")
                == [ConfigProblem(line: 2, "grades 必须是一个表:[grades] 下写 \"优秀\" = 90 等分数线")])
        #expect(
            try folder.problems("[grades]\n\"合格\" = 60\nveto = \"重大扣分项\"\n")
                == [ConfigProblem(line: 4, "[grades] 中 veto 必须是指标名称的数组,如 veto = [\"重大扣分项\"]")])
    }

    /// A veto row or a class table the rubrics lack is found where the rubrics are loaded, and refused with its line.
    @Test func anUnknownRowOrClassIsRefusedWithTheLine() throws {
        let folder = try GradesFolder()
        let config = try folder.load(
            """
            [grades]
            "优秀" = 90
            veto = ["重大扣分项", "重大扣分"]
            [grades.C]
            "优秀" = 95
            """)
        do {
            _ = try Rules.load(config)
            Issue.record("Rules.load accepted an unknown veto row and class")
        } catch {
            #expect(error.code == .config)
            #expect(
                error.message == """
                    配置文件 \(folder.file) 共2处问题:
                      1. 第4行:veto 中的“重大扣分”不是考核细则中的指标,是否是:重大扣分项
                      2. 第5行:[grades.C]:考核细则中没有“C”类(可用:A、B)
                    """)
        }
        let good = try folder.load("[grades]\n\"优秀\" = 90\nveto = [\"重大扣分项\"]\n[grades.B]\n\"优秀\" = 93\n")
        #expect(try Rules.load(good).grades?.bands(for: "B").cutoffs.first?.cutoff == Points(93))
    }
}

private func pts(_ s: String) -> Points { Points(exactly: s)! }
