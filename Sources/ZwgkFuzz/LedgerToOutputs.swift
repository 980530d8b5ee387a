import DropFile
import Reports
import RubricEngine
import Spreadsheet
import ZwgkFormats

/// "Ledger to every output": the records a JSON drop file gets accepted with are stored as the ledger stores
/// them (their canonical text, read back), scored for the year, and rendered into every output a snapshot,
/// `zwgk scores`, `zwgk report`, `zwgk rectification` and `zwgk history` write. Whatever the checker accepts,
/// every renderer must be total over it.
enum LedgerToOutputs {
    /// Says how many records were rendered, or that the file was refused.
    static func run(_ bytes: [UInt8]) -> String {
        let world = World.shared
        guard bytes.count <= DropFormat.json.maxBytes,
            case .success(let valid) = DropFile.check(bytes, format: .json, context: world.context)
        else { return "refused" }
        let entries = valid.new.enumerated().map { i, record in
            LedgerEntry(
                seq: Int64(i + 1), record: stored(record), file: "fuzz.json", received: "2023-12-31T00:00:00Z",
                source: valid.sources[i])
        }
        let rubric = world.rubric
        let period = Period(year: rubric.year, span: .annual)
        var tally = Tally(rubric: rubric, roster: world.roster, cutoff: period.cutoff)
        var book = RectificationBook(rubric: rubric, roster: world.roster, policy: RectificationPolicy())
        for entry in entries {
            tally.add(entry)
            book.add(entry)
        }
        let standings = tally.standings()
        var report = ReportContext(standings: standings, period: period)
        report.rectification = book.list(asOf: period.cutoff)
        report.grading = Grading(standings, policy: gradePolicy(rubric))
        report.lastYear = YearOverYear.compare(current: standings, previous: lastYear(standings, roster: world.roster))
        report.previous = (
            Period(year: rubric.year, span: .quarter(3)),
            Dictionary(
                standings.cards.map { ($0.unit.name, (total: $0.total - Points(1), rank: $0.rank)) },
                uniquingKeysWith: { a, _ in a })
        )
        report.lateEntries = entries
        report.replaced = Dictionary(standings.cards.map { ($0.unit.name, $0.total + Points(2)) }, uniquingKeysWith: { a, _ in a })
        report.approvals = ApprovalHistory(steps: [
            .init(approve: true, by: "张三", at: "2024-01-10T02:00:00Z", localAt: "2024-01-10 10:00", note: "复核无误")
        ])
        render(report, entries: entries)
        return "rendered: \(entries.count) records, \(rendered) characters so far"
    }

    /// The record as the ledger gives it back: its canonical text, read again. The text must read back, and to
    /// the same canonical form (two records are the same content exactly when their canonical forms are equal).
    private static func stored(_ record: Record) -> Record {
        let text = record.canonicalText
        let bytes = Array(text.utf8)
        let back: Record
        do {
            back = try bytes.withUnsafeBufferPointer { buffer throws(LedgerRecordError) in try Record(canonicalUTF8: buffer) }
        } catch {
            fatalError("an accepted record cannot be read back from its canonical text (\(error)): \(text)")
        }
        precondition(back.canonicalText == text, "an accepted record reads back different: \(text) → \(back.canonicalText)")
        return back
    }

    /// Every output, rendered in memory.
    private static func render(_ report: ReportContext, entries: [LedgerEntry]) {
        keep(ScoresJSON.render(report))
        keep(ScoresCSV.render(report))
        keep(ScoresTable.render(report))
        keep(ReportHTML.render(report))
        keep(ReportMarkdown.render(report))
        let year = report.standings.rubric.year
        for card in report.standings.cards where entries.contains(where: { Scorer.mayTouch($0.record, unit: card.unit) }) {
            keep(ReportHTML.renderUnit(card, report: report))
            let steps = Scorer.trail(of: card.unit, rubric: report.standings.rubric, entries: entries)
            keep(HistoryRenderer.text(unit: card.unit, year: year, steps: steps))
            keep(HistoryRenderer.json(unit: card.unit, year: year, steps: steps))
        }
        if let list = report.rectification {
            keep { RectificationReport.writeCSV(list, to: &$0) }
            keep { RectificationReport.writeJSON(list, to: &$0) }
            keep { RectificationReport.writeText(list, to: &$0) }
        }
        // scores.xlsx: each sheet's part and the shared strings, as `WorkbookFile` streams them into the zip.
        let strings = SharedStrings()
        for index in ScoresWorkbook.sheetNames(report).indices {
            keep { ScoresWorkbook.writeSheet(index, of: report, strings: strings, to: &$0) }
        }
        keep { strings.write(to: &$0) }
    }

    /// The length of everything rendered, kept so that no rendering is optimised away.
    nonisolated(unsafe) private static var rendered = 0

    private static func keep(_ text: String) { rendered &+= text.utf8.count }

    private static func keep(_ write: (inout String) -> Void) {
        var text = ""
        write(&text)
        keep(text)
    }

    /// Grades as a `[grades]` table sets them, with a cap on 优秀 and the rubric's first row as a veto row.
    private static func gradePolicy(_ rubric: Rubric) -> GradePolicy {
        let veto = rubric.rows.values.min { $0.id < $1.id }.map { [$0.name] } ?? []
        return GradePolicy(
            defaults: GradeBands(
                cutoffs: [(.excellent, Points(90)), (.good, Points(80)), (.pass, Points(60))],
                excellentShare: ExactShare(literal: "0.3"), veto: veto))
    }

    /// A year before in which every unit stood one point lower, under its name and class of now.
    private static func lastYear(_ standings: Standings, roster: UnitRoster) -> PreviousYear {
        let published = Dictionary(
            standings.cards.map {
                ($0.unit.name, PreviousYear.Result(name: $0.unit.name, unitClass: $0.unit.unitClass, total: $0.total - Points(1), rank: $0.rank, grade: "良好"))
            }, uniquingKeysWith: { a, _ in a })
        let bases = Dictionary(standings.rubric.classes.map { ($0.name, standings.rubric.base(of: $0.name)) }, uniquingKeysWith: { a, _ in a })
        return PreviousYear(year: standings.rubric.year - 1, published: published, roster: roster, bases: bases)
    }
}
