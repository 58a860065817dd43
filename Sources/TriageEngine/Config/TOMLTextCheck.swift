/// Checks text before it reaches the TOML parser, for the inputs on which toml++ (under TOMLKit)
/// aborts the process with a failed assertion instead of reporting an error. Found by scripts/fuzz:
/// - control characters other than tab and line endings (TOML allows them nowhere; `[[\u{1}`
///   aborted, and a NUL would also cut the text short on its way through C);
/// - a table header whose first key does not start like a key (`[é]`, `[#]`, `[.a]`, a `[[` that
///   ends the line: each aborted);
/// - a `}` where an array expects a value (`a = [1, }]` aborted).
/// It is a small lexer: strings, comments and the brackets of array and inline-table values are
/// skipped, so a `[` inside a value or a multi-line string is never taken for a header.
public enum TOMLTextCheck {
    public typealias Problem = (line: Int, column: Int, message: String)

    /// The first such problem, 1-based; nil if none.
    public static func problem(in text: String) -> Problem? {
        var lexer = Lexer(Array(text.unicodeScalars))
        return lexer.run()
    }

    private struct Lexer {
        let scalars: [Unicode.Scalar]
        var position = 0
        var line = 1
        var lineStart = 0
        /// The open `[` and `{` of values, innermost last.
        var open: [Unicode.Scalar] = []

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var column: Int { position - lineStart + 1 }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            position + offset < scalars.count ? scalars[position + offset] : nil
        }

        mutating func run() -> Problem? {
            if let control = scalars.firstIndex(where: Self.isForbidden) { return controlProblem(at: control) }
            var atLineStart = true
            while let scalar = peek() {
                switch scalar {
                case "\n":
                    position += 1
                    line += 1
                    lineStart = position
                    atLineStart = true
                    continue
                case " ", "\t", "\r":
                    position += 1
                    continue
                case "#":
                    while let next = peek(), next != "\n" { position += 1 }
                    continue
                case "\"", "'":
                    skipString(quote: scalar)
                case "[" where atLineStart && open.isEmpty:
                    if let problem = header() { return problem }
                case "[", "{":
                    open.append(scalar)
                    position += 1
                case "}" where open.last == "[":
                    return (line, column, "an array holds values: expected a value or ']', saw '}'")
                case "]", "}":
                    _ = open.popLast()
                    position += 1
                default:
                    position += 1
                }
                atLineStart = false
            }
            return nil
        }

        /// After `[` or `[[` and blanks, the first key must start like one (or be `]`, an empty name
        /// toml++ reports itself). Only the first key matters: toml++ checks the ones after dots.
        mutating func header() -> Problem? {
            position += 1
            if peek() == "[" { position += 1 }
            while peek() == " " || peek() == "\t" { position += 1 }
            guard let first = peek(), first != "\n", first != "\r" else {
                return (line, column, "a table header needs a name")
            }
            if first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) || "-_\"']".unicodeScalars.contains(first) {
                return nil
            }
            return (line, column, "a table name starts with a letter, digit, - or _, or is quoted")
        }

        /// Skips a basic, literal or multi-line string; an unterminated one runs to its line's end
        /// (single-line) or the text's end, and toml++ reports it.
        mutating func skipString(quote: Unicode.Scalar) {
            let multiline = peek(1) == quote && peek(2) == quote
            position += multiline ? 3 : 1
            while let scalar = peek() {
                if quote == "\"", scalar == "\\" { position += 2; continue }
                if scalar == "\n" {
                    if !multiline { return }
                    line += 1
                    lineStart = position + 1
                }
                if scalar == quote, !multiline || (peek(1) == quote && peek(2) == quote) {
                    position += multiline ? 3 : 1
                    return
                }
                position += 1
            }
        }

        static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F
        }

        func controlProblem(at index: Int) -> Problem {
            let before = scalars[..<index]
            let line = before.filter { $0 == "\n" }.count + 1
            let column = index - (before.lastIndex(of: "\n").map { $0 + 1 } ?? 0) + 1
            let code = String(scalars[index].value, radix: 16, uppercase: true)
            return (line, column, "control character U+\(String(repeating: "0", count: 4 - code.count) + code) is not allowed in TOML")
        }
    }
}
