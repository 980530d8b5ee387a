/// A cell's address: `E12` is column 4 (0-based), row 12.
public struct CellReference: Sendable, Equatable, CustomStringConvertible {
    public var column: Int
    public var row: Int

    public init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }

    /// Reads `E12` or `$E$12`; nil for anything else.
    public init?(_ text: String) {
        var letters = 0
        var column = 0
        var row = 0
        var digits = 0
        for scalar in text.unicodeScalars where scalar != "$" {
            switch scalar {
            case "A"..."Z" where digits == 0:
                column = column * 26 + Int(scalar.value - 64)
                letters += 1
            case "a"..."z" where digits == 0:
                column = column * 26 + Int(scalar.value - 96)
                letters += 1
            case "0"..."9":
                row = row * 10 + Int(scalar.value - 48)
                digits += 1
            default:
                return nil
            }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0, digits > 0, row > 0 else { return nil }
        self.init(column: column - 1, row: row)
    }

    /// The column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
    public static func letters(_ column: Int) -> String {
        var n = column + 1
        var out: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(out)
    }

    public var description: String { CellReference.letters(column) + String(row) }
}
