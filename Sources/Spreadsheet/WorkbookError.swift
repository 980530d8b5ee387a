/// Why a workbook could not be read as a whole. The description is for the clerk who saved it (Chinese),
/// saying what is wrong and what to do.
public struct WorkbookError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, to decide on.
    public enum Code: Sendable, Equatable {
        /// Not a zip container at all (a renamed file, another format, truncated).
        case notZip
        /// An OLE compound file: a password-protected workbook, or the old binary .xls format.
        case encrypted
        case legacyXLS
        /// A part would unpack larger than the limits (a zip bomb, or far too much data).
        case tooLarge
        /// A zip without the parts of a workbook, or with parts that cannot be read.
        case damaged
    }

    public var code: Code
    public var description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
