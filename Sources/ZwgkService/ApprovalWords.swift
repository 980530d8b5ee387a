import Foundation
public import Ledger
public import Reports

/// How approvals (审定) are put to people: the reason a late record is refused, and the history reports show.
public enum ApprovalWords {
    /// The reason a record of an approved year is refused, naming the approval and what to do.
    public static func refusal(_ approval: Approval, timeZone: String) -> String {
        "\(approval.year)年度考核结果已于\(localTime(approval.at, timeZone: timeZone)) 审定(审定人 \(approval.by)),不再接收该年度的记录;"
            + "如确需更正,请由考核办先撤销审定(zwgk approve --revoke)再投递"
    }

    /// The history as reports show it, times in `timeZone`.
    public static func history(_ approvals: [Approval], timeZone: String) -> ApprovalHistory {
        ApprovalHistory(
            steps: approvals.map {
                ApprovalHistory.Step(
                    approve: $0.action == .approve, by: $0.by, at: $0.at, localAt: localTime($0.at, timeZone: timeZone),
                    note: $0.note)
            })
    }

    /// `2024-01-20 10:00` in `timeZone`, from a ledger timestamp (ISO 8601 UTC); the text itself if it is not one.
    public static func localTime(_ iso: String, timeZone: String) -> String {
        guard let date = Timestamp.parse(iso) else { return iso }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func pad(_ v: Int?) -> String { v.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(c.year ?? 0)-\(pad(c.month))-\(pad(c.day)) \(pad(c.hour)):\(pad(c.minute))"
    }
}

extension LedgerAccess {
    /// The approval history of `year` as reports show it (empty without a ledger: 初评).
    public static func approvalHistory(_ config: Config, year: Int) throws -> ApprovalHistory {
        ApprovalWords.history(try open(config, readOnly: true)?.approvals(year: year) ?? [], timeZone: config.timeZone)
    }
}
