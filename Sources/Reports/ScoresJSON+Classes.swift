public import RubricEngine
import ZwgkFormats

// scores.json's per-class summary (`classes`) and each unit's `sections`.
extension ScoresJSON {
    /// `[{"class", "units", "grades" (when graded), "section_stats": [{"name", "base", "average", "lowest", "highest"}]}]`.
    static func classesJSON(_ report: ReportContext) -> JSONValue {
        .array(
            report.standings.classes.map { c in
                var o = JSONObject()
                o.append("class", .string(c.unitClass.name))
                o.append("units", .number(String(c.cards.count)))
                if let counts = report.grading?.counts[c.unitClass.name] {
                    var grades = JSONObject()
                    for (grade, n) in counts { grades.append(grade.rawValue, .number(String(n))) }
                    o.append("grades", .object(grades))
                }
                o.append(
                    "section_stats",
                    .array(
                        Sections.stats(c).map { s in
                            var x = JSONObject()
                            x.append("name", .string(s.name))
                            x.append("base", s.base.json)
                            x.append("average", s.average.json)
                            x.append("lowest", s.lowest.json)
                            x.append("highest", s.highest.json)
                            return .object(x)
                        }))
                if let lastYear = report.lastYear { o.append("most_improved", LastYearReport.mostImprovedJSON(c.unitClass.name, lastYear)) }
                return .object(o)
            })
    }

    /// `[{"name", "base", "score"}]`, in the class's printed order.
    static func sectionsJSON(_ sections: [SectionScore]) -> JSONValue {
        .array(
            sections.map { s in
                var o = JSONObject()
                o.append("name", .string(s.name))
                o.append("base", s.base.json)
                o.append("score", s.score.json)
                return .object(o)
            })
    }
}

extension ReportContext {
    /// The rubric's classes by name.
    public var unitClasses: [String: UnitClass] {
        Dictionary(standings.classes.map { ($0.unitClass.name, $0.unitClass) }, uniquingKeysWith: { a, _ in a })
    }
}
