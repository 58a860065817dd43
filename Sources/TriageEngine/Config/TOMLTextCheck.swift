/// Checks text before it reaches the TOML parser, for the inputs on which toml++ (under TOMLKit)
/// aborts the process with a failed assertion instead of reporting an error. Both found by
/// scripts/fuzz:
/// - control characters other than tab and line endings (TOML allows them nowhere; `[[\u{1}`
///   aborted, and a NUL would also cut the text short on its way through C);
/// - a table header whose first key does not start like a key (`[é]`, `[#]`, `[.a]` aborted).
public enum TOMLTextCheck {
    /// The first such problem: line and column (1-based) and what is wrong; nil if none.
    public static func problem(in text: String) -> (line: Int, column: Int, message: String)? {
        var multilineDelimiter: Substring?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var column = 1
            for scalar in line.unicodeScalars {
                if scalar.value < 0x20 && scalar.value != 0x09 && scalar.value != 0x0D || scalar.value == 0x7F {
                    let code = String(scalar.value, radix: 16, uppercase: true)
                    return (index + 1, column, "control character U+\(String(repeating: "0", count: 4 - code.count) + code) is not allowed in TOML")
                }
                column += 1
            }
            if multilineDelimiter == nil, let problem = headerProblem(line) { return (index + 1, problem.column, problem.message) }
            multilineDelimiter = multilineState(after: line, startingIn: multilineDelimiter)
        }
        return nil
    }

    /// `[` or `[[`, blanks, then the first key: a bare-key character, a quote, or `]` (an empty name,
    /// which toml++ reports properly).
    private static func headerProblem(_ line: Substring) -> (column: Int, message: String)? {
        let characters = Array(line)
        var position = 0
        func skipBlanks() { while position < characters.count, characters[position] == " " || characters[position] == "\t" { position += 1 } }
        skipBlanks()
        guard position < characters.count, characters[position] == "[" else { return nil }
        position += 1
        if position < characters.count, characters[position] == "[" { position += 1 }
        skipBlanks()
        guard position < characters.count else { return nil }
        let first = characters[position]
        if first.isASCII, first.isLetter || first.isNumber || "-_\"']".contains(first) { return nil }
        return (position + 1, "a table name starts with a letter, digit, - or _, or is quoted")
    }

    /// The delimiter of the multi-line string (`"""` or `'''`) the line ends inside, if any: a `[`
    /// there starts no table.
    private static func multilineState(after line: Substring, startingIn open: Substring?) -> Substring? {
        var open = open
        var rest = line[...]
        while !rest.isEmpty {
            if let delimiter = open {
                guard let end = rest.range(of: delimiter) else { return open }
                rest = rest[end.upperBound...]
                open = nil
            } else {
                let starts = [rest.range(of: "\"\"\""), rest.range(of: "'''")].compactMap { $0 }
                guard let start = starts.min(by: { $0.lowerBound < $1.lowerBound }) else { return nil }
                open = rest[start]
                rest = rest[start.upperBound...]
            }
        }
        return open
    }
}
