/// A rectification report (整改报告): what a unit did about a finding or notice, with its evidence.
public struct Rectification: Sendable, Equatable {
    public var id: String
    public var year: Int
    /// When the unit reported.
    public var date: Day
    /// The `id` of the finding or notice rectified.
    public var target: String
    /// The unit reporting: a notice's named unit, or the finding's own unit (filled in when the drop file omits it).
    public var unit: String
    public var measures: String
    public var evidence: String?

    public init(id: String, year: Int, date: Day, target: String, unit: String, measures: String, evidence: String? = nil) {
        self.id = id
        self.year = year
        self.date = date
        self.target = target
        self.unit = unit
        self.measures = measures
        self.evidence = evidence
    }
}

/// A re-check (复查) by the office of a reported rectification: passed closes the item (销号); failed sends
/// it back with a new deadline.
public struct Recheck: Sendable, Equatable {
    public var id: String
    public var year: Int
    public var date: Day
    public var target: String
    /// As on ``Rectification/unit``.
    public var unit: String
    public var passed: Bool
    public var note: String?
    /// The new deadline after a failed re-check; nil: the configured default from the re-check's date.
    public var rectifyBy: Day?

    public init(id: String, year: Int, date: Day, target: String, unit: String, passed: Bool, note: String? = nil, rectifyBy: Day? = nil) {
        self.id = id
        self.year = year
        self.date = date
        self.target = target
        self.unit = unit
        self.passed = passed
        self.note = note
        self.rectifyBy = rectifyBy
    }
}
