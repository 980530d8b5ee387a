// Numbers as TOML writes them: underscores only between digits, no leading zeros, radix prefixes, exponents.
extension TOMLReader {
    // MARK: - Numbers

    /// The number `word` spells, nil when it does not look like a number at all; a word that looks
    /// like one but breaks TOML's rules (`1__0`, `_1`, `1_`, `01`, `1.`, `.5`) is refused.
    func number(_ word: String) throws(TOMLSyntaxError) -> TOMLValue? {
        var body = Substring(word)
        var sign = ""
        if body.first == "+" || body.first == "-" {
            sign = String(body.first!)
            body = body.dropFirst()
        }
        if ["inf", "nan"].contains(body) { throw fail("不支持 inf 和 nan,请写成普通数字") }
        guard let first = body.first, first.isASCII,
            first.isNumber || ((first == "_" || first == ".") && body.contains(where: { $0.isASCII && $0.isNumber }))
        else { return nil }

        for (prefix, radix, name) in [("0x", 16, "十六进制"), ("0o", 8, "八进制"), ("0b", 2, "二进制")] where body.hasPrefix(prefix) {
            guard sign.isEmpty else { throw fail("\(name)整数“\(word)”前不能有正负号") }
            let digits = try self.digits(body.dropFirst(2), of: word, radix: radix)
            guard let i = Int(digits, radix: radix) else { throw fail("整数“\(word)”超出范围") }
            return .integer(i)
        }

        guard body.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
            let digits = try self.digits(body, of: word)
            guard digits.count == 1 || digits.first != "0" else { throw fail("整数“\(word)”不能以0开头") }
            guard let i = Int(sign + digits) else { throw fail("整数“\(word)”超出范围") }
            return .integer(i)
        }

        // A float: an integer part (no leading zeros), then a fraction, an exponent or both.
        var mantissa = body
        var exponent: Substring?
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = body[..<e]
            exponent = body[body.index(after: e)...]
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw fail("无法识别的数字“\(word)”") }
        let whole = try digits(parts[0], of: word)
        guard whole.count == 1 || whole.first != "0" else { throw fail("小数“\(word)”的整数部分不能以0开头") }
        var text = sign + whole
        if parts.count == 2 { text += "." + (try digits(parts[1], of: word)) }
        if var exponent {
            let marker = body[mantissa.endIndex]
            var expSign = ""
            if exponent.first == "+" || exponent.first == "-" {
                expSign = String(exponent.first!)
                exponent = exponent.dropFirst()
            }
            text += String(marker) + expSign + (try digits(exponent, of: word))
        }
        return .float(text)
    }

    /// The digits of `run` without its underscores; each underscore must stand between two digits.
    func digits(_ run: Substring, of word: String, radix: Int = 10) throws(TOMLSyntaxError) -> String {
        var out = ""
        var afterDigit = false
        for c in run {
            if c == "_" {
                guard afterDigit else { throw fail("数字“\(word)”中的下划线只能写在两个数字之间") }
                afterDigit = false
            } else if c.isASCII, let d = c.hexDigitValue, d < radix {
                out.append(c)
                afterDigit = true
            } else {
                throw fail("无法识别的值“\(word)”(字符串须加引号)")
            }
        }
        guard afterDigit else {
            if out.isEmpty { throw fail("数字“\(word)”不完整(小数点两侧、指数和进制前缀之后都要有数字,如 0.5、1e3、0xff)") }
            throw fail("数字“\(word)”中的下划线只能写在两个数字之间")
        }
        return out
    }
}
