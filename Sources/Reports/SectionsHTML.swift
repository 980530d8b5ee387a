import RubricEngine

// A unit's sections (一级指标) in report.html: a bar chart against the class average, and the weakest ones.
extension ReportHTML {
    /// The chart and the three weakest sections, for the unit page: compact, so that a unit's page still prints on
    /// one sheet.
    static func sectionsPart(_ card: Scorecard, report: ReportContext, stats: [SectionStats]) -> String {
        guard let unitClass = report.unitClasses[card.unit.unitClass] else { return "" }
        let sections = Sections.of(card, in: unitClass)
        guard !sections.isEmpty else { return "" }
        var h = "<div class=\"sections\">\n" + sectionChart(card, sections, stats: stats)
        let weakest = Sections.weakest(sections)
        h += "<p class=\"weakest\"><b>失分比例最高的一级指标:</b>"
        if weakest.isEmpty { return h + Sections.noneLost + "</p>\n</div>\n" }
        h += weakest.enumerated().map { i, s in
            "\(i + 1). \(esc(s.name))(失 \(s.lost) 分" + (s.base == .zero ? ")" : ",占该项满分 \(s.base) 分的 \(percent(s.lost, of: s.base)))")
        }.joined(separator: ";")
        return h + "</p>\n</div>\n"
    }

    /// `13.51%`: part of whole, exact to the hundredth of a percent, half up.
    static func percent(_ part: Points, of whole: Points) -> String {
        let h = (2 * part.hundredths * 10_000 + whole.hundredths) / (2 * whole.hundredths)
        return "\(Points(hundredths: h))%"
    }

    /// An inline SVG chart, no scripts: per section a bar for the unit and a thinner one for the class average, each as
    /// a share of what the section can score at most (``SectionScore/maximum``), on one scale from 0 (or the lowest
    /// share) to 100% (or the highest), labelled with the points. Sections that can only lose (重大扣分项) have no share
    /// and are said in words below the chart when they cost points. 640 units wide (169 mm at 96 dpi), so it fits an
    /// A4 portrait page; it scales down on narrow screens.
    static func sectionChart(_ card: Scorecard, _ sections: [SectionScore], stats: [SectionStats]) -> String {
        let average = Dictionary(stats.map { ($0.name, $0.average) }, uniquingKeysWith: { a, _ in a })
        let charted = sections.filter { ($0.maximum ?? .zero) > .zero }
        // Shares in hundredths of a percent.
        func share(_ p: Points, _ s: SectionScore) -> Int64 { p.hundredths * 10_000 / s.maximum!.hundredths }
        let shares = charted.flatMap { [share($0.score, $0), share(average[$0.name] ?? .zero, $0)] }
        let low = min(shares.min() ?? 0, 0), high = max(shares.max() ?? 10_000, 10_000)
        let span = Double(high - low)
        let labelWidth = 130, barWidth = 300, width = 640, rowHeight = 16, top = 18
        func x(_ share: Int64) -> Int { labelWidth + Int((Double(share - low) / span * Double(barWidth)).rounded()) }
        let zero = x(0), full = x(10_000)
        let height = top + charted.count * rowHeight + 14
        var svg = "<svg class=\"chart sections\" role=\"img\" aria-label=\"\(esc(card.unit.name))一级指标得分率与本类平均\" "
        svg += "viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">\n"
        svg += "<text x=\"0\" y=\"11\" font-size=\"12\" font-weight=\"bold\">一级指标得分率</text>"
        svg +=
            "<rect x=\"\(labelWidth)\" y=\"2\" width=\"10\" height=\"9\" fill=\"#b5443a\"/><text x=\"\(labelWidth + 14)\" y=\"11\" font-size=\"11\">本单位</text>"
        svg +=
            "<rect x=\"\(labelWidth + 64)\" y=\"5\" width=\"10\" height=\"4\" fill=\"#9a9a9a\"/><text x=\"\(labelWidth + 78)\" y=\"11\" font-size=\"11\">本类平均</text>"
        svg += "<text x=\"\(labelWidth + 150)\" y=\"11\" font-size=\"11\">(占该项最高可得分的比例)</text>\n"
        for (i, s) in charted.enumerated() {
            let y = top + i * rowHeight
            let avg = average[s.name] ?? .zero
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 11)\" text-anchor=\"end\" font-size=\"11\">\(esc(s.name))</text>"
            for (value, offset, barHeight, colour) in [(share(s.score, s), 1, 9, "#b5443a"), (share(avg, s), 10, 4, "#9a9a9a")] {
                let end = x(value)
                svg += "<rect x=\"\(min(zero, end))\" y=\"\(y + offset)\" width=\"\(max(abs(end - zero), 1))\" height=\"\(barHeight)\" fill=\"\(colour)\"/>"
            }
            svg += "<text x=\"\(labelWidth + barWidth + 8)\" y=\"\(y + 11)\" font-size=\"11\">\(s.score)/\(s.maximum!) 分(平均 \(avg))</text>\n"
        }
        let bottom = top + charted.count * rowHeight
        svg += "<line x1=\"\(zero)\" y1=\"\(top)\" x2=\"\(zero)\" y2=\"\(bottom)\" stroke=\"#555\" stroke-width=\"1\"/>"
        svg += "<line x1=\"\(full)\" y1=\"\(top)\" x2=\"\(full)\" y2=\"\(bottom)\" stroke=\"#555\" stroke-width=\"1\" stroke-dasharray=\"2,2\"/>"
        svg += "<text x=\"\(zero)\" y=\"\(bottom + 11)\" font-size=\"10\" text-anchor=\"middle\">0</text>"
        svg += "<text x=\"\(full)\" y=\"\(bottom + 11)\" font-size=\"10\" text-anchor=\"middle\">100%</text>\n"
        svg += "</svg>\n"
        let uncharted = sections.filter { ($0.maximum ?? .zero) <= .zero && $0.score != .zero }
        guard !uncharted.isEmpty else { return svg }
        return svg + "<p class=\"weakest\">"
            + uncharted.map { s in
                "\(esc(s.name)):\(s.score) 分(本类平均 \(average[s.name] ?? .zero))"
            }.joined(separator: ";") + "</p>\n"
    }
}
