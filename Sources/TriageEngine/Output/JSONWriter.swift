/// Builds compact JSON text. Used for CLI output and sidecars; it can splice in stored payloads
/// verbatim (`raw`), which were validated as JSON when they were ingested.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init() {}

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func value(_ text: String?) {
        separate()
        if let text { appendString(text) } else { appendLiteral("null") }
        needsComma = true
    }

    public mutating func value(_ number: Int?) { scalar(number.map { String($0) }) }
    public mutating func value(_ number: Int64?) { scalar(number.map { String($0) }) }
    public mutating func value(_ flag: Bool) { scalar(flag ? "true" : "false") }

    public mutating func value(_ number: Double?) {
        guard let number, number.isFinite else { return scalar(nil) }
        scalar(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
    }

    /// Splices already-valid JSON text.
    public mutating func raw<Bytes: Collection<UInt8>>(_ json: Bytes) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    public mutating func field(_ name: String, _ text: String?) { key(name); value(text) }
    public mutating func field(_ name: String, _ number: Int?) { key(name); value(number) }
    public mutating func field(_ name: String, _ number: Int64?) { key(name); value(number) }
    public mutating func field(_ name: String, _ number: Double?) { key(name); value(number) }
    public mutating func field(_ name: String, _ flag: Bool) { key(name); value(flag) }

    private mutating func scalar(_ literal: String?) {
        separate()
        appendLiteral(literal ?? "null")
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendLiteral(_ literal: String) { bytes.append(contentsOf: literal.utf8) }

    /// Escapes quotes, backslashes, every control character (C0, DEL and C1) and what the terminal
    /// shows replaced (bidi overrides, zero-width characters: `TerminalText`'s rule), so the output is
    /// safe to print on a terminal and reads as what it is, as well as valid JSON.
    private mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": bytes.append(contentsOf: #"\""#.utf8)
            case "\\": bytes.append(contentsOf: #"\\"#.utf8)
            case "\n": bytes.append(contentsOf: #"\n"#.utf8)
            case "\t": bytes.append(contentsOf: #"\t"#.utf8)
            case "\r": bytes.append(contentsOf: #"\r"#.utf8)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || TerminalText.isInvisibleOrReordering(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    bytes.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
