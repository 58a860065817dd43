/// Checks text before it reaches the TOML parser. TOML allows no control characters but tab and
/// line endings anywhere, and toml++ (under TOMLKit) aborts the process on some of them instead of
/// reporting an error (found by scripts/fuzz: `[[\u{1}` kills it); a NUL would also cut the text
/// short on its way through C. So they are refused here, with the place.
public enum TOMLTextCheck {
    /// `line L, column C: ...` for the first character TOML does not allow, else nil.
    public static func problem(in text: String) -> (line: Int, column: Int, message: String)? {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A:
                line += 1
                column = 0
            case 0x09, 0x0D: break
            case 0x00...0x1F, 0x7F:
                return (line, column, "control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)) is not allowed in TOML")
            default: break
            }
            column += 1
        }
        return nil
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
