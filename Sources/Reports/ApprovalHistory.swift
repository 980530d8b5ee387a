/// Where an annual result stands: 初评 (preliminary, shown to units for objections) until approved, then
/// 审定 with approver and date; and every approval and revocation, for the report's history.
public struct ApprovalHistory: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        /// An approval; false for a revocation.
        public var approve: Bool
        public var by: String
        /// When, as recorded (ISO 8601 UTC).
        public var at: String
        /// When, as people read it (`2024-01-20 10:00`, local time).
        public var localAt: String
        public var note: String?

        public init(approve: Bool, by: String, at: String, localAt: String, note: String?) {
            self.approve = approve
            self.by = by
            self.at = at
            self.localAt = localAt
            self.note = note
        }

        public var actionName: String { approve ? "审定" : "撤销审定" }
    }

    /// Oldest first.
    public var steps: [Step]

    public init(steps: [Step] = []) { self.steps = steps }

    /// The approval in force: the last step, when it is one.
    public var standing: Step? { steps.last.flatMap { $0.approve ? $0 : nil } }

    /// `初评` or `审定`.
    public var status: String { standing == nil ? "初评" : "审定" }

    /// The mark on every page: `初评(未审定)`, or `审定 · 张三 · 2024-01-20`.
    public var mark: String {
        guard let s = standing else { return "初评(未审定)" }
        return "审定 · \(s.by) · \(s.localAt.prefix(10))"
    }
}
