/// Text that is safe to put on a terminal, and its width in terminal columns.
///
/// Every string from a payload is untrusted: an ESC could clear the screen, set the window title or
/// write the clipboard (OSC 52); bidi overrides can make text read differently from what it is.
/// `sanitize` makes all of those visible and inert; the CLI and the TUI both print only its output.
public enum TerminalText {
    public static func sanitize(_ text: String) -> String {
        // Most text on screen is printable ASCII, which needs no change: every cell of every frame
        // passes through here, so it is returned as it is rather than rebuilt scalar by scalar.
        if isPrintableASCII(text) { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        // The last scalar kept is an emoji (or a modifier or selector of one): a zero-width joiner
        // between two emoji makes one picture (👩‍💻) and is kept; anywhere else it is invisible.
        var afterEmoji = false
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let value = scalar.value
            scalars.formIndex(after: &index)
            if value < 0x20 {
                // C0 controls become their Control Pictures (␛ for ESC, ␊ for newline, ...).
                result.unicodeScalars.append(Unicode.Scalar(0x2400 + value)!)
            } else if value == 0x7F {
                result.unicodeScalars.append("\u{2421}")
            } else if value == 0x200D, afterEmoji, index < scalars.endIndex, isEmoji(scalars[index]) {
                result.unicodeScalars.append(scalar)
            } else if isInvisibleOrReordering(value) {
                result.unicodeScalars.append("\u{FFFD}")
            } else {
                result.unicodeScalars.append(scalar)
                afterEmoji = isEmoji(scalar) || (afterEmoji && extendsEmoji(scalar))
                continue
            }
            afterEmoji = false
        }
        return result
    }

    /// Only bytes 0x20–0x7E: each one column, nothing to make visible.
    static func isPrintableASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
    }

    /// A picture emoji, the kind a zero-width joiner joins (not the ASCII digits and signs that also
    /// have the Emoji property).
    static func isEmoji(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0xA9 && scalar.properties.isEmoji
    }

    /// A skin-tone modifier or the emoji presentation selector: part of the emoji before it.
    static func extendsEmoji(_ scalar: Unicode.Scalar) -> Bool {
        (0x1F3FB...0x1F3FF).contains(scalar.value) || scalar.value == 0xFE0F
    }

    /// C1 controls, bidi embeddings/overrides/isolates, zero-width and other invisible format characters.
    static func isInvisibleOrReordering(_ value: UInt32) -> Bool {
        (0x80...0x9F).contains(value) || (0x200B...0x200F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2060...0x2069).contains(value) || value == 0xFEFF || value == 0x061C || value == 0x00AD
    }

    /// Columns a (sanitized) string occupies: wide East Asian characters and emoji take two,
    /// combining marks none, and an emoji joined to the one before it (ZWJ, a skin tone) none.
    public static func width(_ text: String) -> Int {
        if isPrintableASCII(text) { return text.utf8.count }
        var columns = Columns()
        return text.unicodeScalars.reduce(0) { $0 + columns.width(of: $1) }
    }

    /// Counts columns scalar by scalar as a terminal lays out grapheme clusters: what joins the
    /// picture before it (an emoji after a zero-width joiner, a skin-tone modifier) adds none.
    public struct Columns {
        private var afterEmoji = false
        private var joining = false

        public init() {}

        public mutating func width(of scalar: Unicode.Scalar) -> Int {
            let joined = joining && TerminalText.isEmoji(scalar)
            let modifies = afterEmoji && TerminalText.extendsEmoji(scalar)
            joining = scalar.value == 0x200D && afterEmoji
            afterEmoji = TerminalText.isEmoji(scalar) || modifies
            return joined || modifies ? 0 : TerminalText.width(of: scalar)
        }
    }

    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200D || (0xFE00...0xFE0F).contains(value) { return 0 }
        if isWide(value) { return 2 }
        return 1
    }

    /// East Asian Wide and Fullwidth ranges, plus the emoji blocks terminals draw two columns wide.
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
             0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE,
             0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705,
             0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF,
             0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
             0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Sanitizes and fits `text` into `columns`, ending with `…` when it had to cut. Never splits a
    /// wide character: the result may be one column short instead.
    public static func fit(_ text: String, columns: Int) -> String {
        let clean = sanitize(text)
        guard columns > 0 else { return "" }
        if width(clean) <= columns { return clean }
        var result = ""
        var used = 0
        var counter = Columns()
        for scalar in clean.unicodeScalars {
            let scalarWidth = counter.width(of: scalar)
            if used + scalarWidth > columns - 1 { break }
            result.unicodeScalars.append(scalar)
            used += scalarWidth
        }
        return result + "…"
    }

    /// `fit`, then padded with spaces to exactly `columns`.
    public static func pad(_ text: String, columns: Int) -> String {
        let fitted = fit(text, columns: columns)
        return fitted + String(repeating: " ", count: max(0, columns - width(fitted)))
    }
}
