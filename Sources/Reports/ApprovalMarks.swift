import ZwgkFormats

/// The parts of a report that say where an annual result stands (初评 or 审定): the mark on the report's
/// header, on each unit's page and on every printed page, the approval history, and their JSON.
enum ApprovalMarks {
    // MARK: - HTML

    /// Under the report's title: the status, and what it means.
    static func headerHTML(_ a: ApprovalHistory) -> String {
        let words =
            a.standing.map { "本结果已于 \(ReportHTML.esc($0.localAt)) 审定(审定人 \(ReportHTML.esc($0.by))),为最终结果。" }
            ?? "本结果为初评结果,供各单位核对、提出异议;审定前可能变动。"
        return "<p class=\"approval \(a.standing == nil ? "draft" : "final")\"><b>\(ReportHTML.esc(a.mark))</b> \(words)</p>\n"
    }

    /// In a unit page's heading.
    static func unitHTML(_ a: ApprovalHistory) -> String {
        "<span class=\"approval-tag \(a.standing == nil ? "draft" : "final")\">\(ReportHTML.esc(a.mark))</span>"
    }

    /// The history section: every approval and revocation, oldest first.
    static func historyHTML(_ a: ApprovalHistory) -> String {
        var h = "<section class=\"approvals\"><h2>审定记录</h2>\n"
        if a.steps.isEmpty { return h + "<p class=\"note\">尚未审定。</p></section>\n" }
        h += "<table><thead><tr><th>时间</th><th>操作</th><th>经办人</th><th>说明</th></tr></thead><tbody>\n"
        for s in a.steps {
            h +=
                "<tr><td>\(ReportHTML.esc(s.localAt))</td><td>\(s.actionName)</td><td>\(ReportHTML.esc(s.by))</td>"
                + "<td>\(ReportHTML.esc(s.note ?? ""))</td></tr>\n"
        }
        return h + "</tbody></table></section>\n"
    }

    /// The marks' style. Every printed page carries the mark in its top margin (an `@page` margin box, which
    /// Chromium prints since version 131): in the margin it never covers a line of a page that continues the one
    /// before, as an element repeated on each page (`position: fixed`) would.
    static func style(_ a: ApprovalHistory) -> String {
        """
        .approval{margin:.4em 0;padding:.3em .6em;border-left:4px solid #a05a00;background:#fff8ec}.approval.final{border-color:#17692b;background:#f1f8f2}
        .approval-tag{font-size:.6em;font-weight:normal;margin-left:.8em;padding:0 .4em;border:1px solid #a05a00;color:#a05a00;vertical-align:middle}
        .approval-tag.final{border-color:#17692b;color:#17692b}
        @page{@top-right{content:\(cssString(a.mark));font-size:9pt;color:\(a.standing == nil ? "#a05a00" : "#17692b")}}
        """
    }

    /// `text` as a CSS string inside a `<style>` element: quotes, backslashes, line ends and `<` escaped.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"", "\\", "<", ">", "\n", "\r", "\u{0C}": out += "\\" + String(u.value, radix: 16) + " "
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    // MARK: - Markdown

    static func markdown(_ a: ApprovalHistory) -> String {
        var out =
            "\n**\(a.mark)**:"
            + (a.standing.map { "本结果已于 \($0.localAt) 审定(审定人 \($0.by)),为最终结果。" }
                ?? "本结果为初评结果,供各单位核对、提出异议;审定前可能变动。") + "\n"
        guard !a.steps.isEmpty else { return out }
        out += "\n## 审定记录\n\n| 时间 | 操作 | 经办人 | 说明 |\n|---|---|---|---|\n"
        for s in a.steps {
            out += "| \(s.localAt) | \(s.actionName) | \(ReportMarkdown.cell(s.by)) | \(ReportMarkdown.cell(s.note ?? "")) |\n"
        }
        return out
    }

    // MARK: - JSON

    /// `"status"` and `"approvals"` for scores.json.
    static func json(_ a: ApprovalHistory, into top: inout JSONObject) {
        top.append("status", .string(a.status))
        top.append(
            "approvals",
            .array(
                a.steps.map { s in
                    var o = JSONObject()
                    o.append("action", .string(s.approve ? "approve" : "revoke"))
                    o.append("by", .string(s.by))
                    o.append("at", .string(s.at))
                    o.append("note", s.note.map { .string($0) } ?? .null)
                    return .object(o)
                }))
    }
}
