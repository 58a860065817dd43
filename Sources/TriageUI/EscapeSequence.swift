/// What follows an Esc from the keyboard, read whole: curses knows the sequences its terminfo entry
/// lists, and hands the rest over byte by byte. Those are taken here as one key, so a Home under a
/// TERM that does not match (`\e[1~`) still moves, Alt-b arrives as `M-b`, and an unknown sequence
/// (`\e[25~`) is one `unrecognized` key instead of `[`, `2`, `5`, `~` typed into the query.
public enum EscapeSequence {
    /// Longer than any real sequence: past it, whatever arrived is taken as one unrecognized key.
    static let maximumLength = 32

    public enum Reading: Sendable, Equatable {
        /// Not whole yet: read the next character (a pause ends it as it stands).
        case needMore
        /// The key, and how many characters of the tail it used (a second Esc is left for the next key).
        case key(Key, consumed: Int)
    }

    /// Reads `tail`, the characters after the Esc so far.
    public static func read(_ tail: [Unicode.Scalar]) -> Reading {
        guard let first = tail.first else { return .needMore }
        switch first {
        case "\u{1B}":
            return .key(.escape, consumed: 0)
        case "[", "O":
            guard tail.count >= 2, let last = tail.last else { return .needMore }
            let isFinal = (0x40...0x7E).contains(last.value)
            guard isFinal || tail.count >= maximumLength else { return .needMore }
            // `[` and `O` each end a sequence only after at least one more character.
            if tail.count == 2, first == "[", last == "[" { return .needMore }
            return .key(controlSequence(tail) ?? .unrecognized(printable(tail)), consumed: tail.count)
        default:
            guard let key = Key.forCharacter(first.value) else { return .key(.unrecognized(printable(tail)), consumed: 1) }
            return .key(.alt(key), consumed: 1)
        }
    }

    /// Esc followed by nothing within the pause: the Esc key itself; with an unfinished sequence, that
    /// sequence as one unrecognized key.
    public static func ended(_ tail: [Unicode.Scalar]) -> Key {
        tail.isEmpty ? .escape : .unrecognized(printable(tail))
    }

    /// The sequences terminals send for the keys triage uses, under xterm, VT220, rxvt, screen and
    /// tmux conventions alike (modifiers `;3` Alt and `;5` Ctrl on ← → step by word).
    private static func controlSequence(_ tail: [Unicode.Scalar]) -> Key? {
        let final = Character(tail.last!)
        let parameters = String(String.UnicodeScalarView(tail.dropFirst().dropLast()))
        let modified = parameters.hasSuffix(";3") || parameters.hasSuffix(";5")
        guard parameters.isEmpty || parameters == "1" || modified || final == "~" else { return nil }
        switch final {
        case "A": return .up
        case "B": return .down
        case "C": return modified ? .alt(.right) : .right
        case "D": return modified ? .alt(.left) : .left
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        case "M" where tail.first == "O": return .enter
        case "~":
            switch parameters {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            case "5": return .pageUp
            case "6": return .pageDown
            // Bracketed paste's markers: the driver reads what comes between them as one paste.
            case "200", "201": return .paste("")
            default: return nil
            }
        default: return nil
        }
    }

    /// What starts a bracketed paste (after the Esc), and what ends it.
    public static let pasteStart: [Unicode.Scalar] = ["[", "2", "0", "0", "~"]
    public static let pasteEnd: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]

    /// The sequence as the user may see it in a message: Esc as `␛`, nothing that drives a terminal.
    private static func printable(_ tail: [Unicode.Scalar]) -> String {
        "␛" + String(String.UnicodeScalarView(tail.map { $0.value < 0x20 || $0.value == 0x7F ? "�" : $0 }))
    }
}

extension Key {
    /// The key a character from the terminal stands for: controls by their letter, DEL and BS as
    /// Backspace, CR and LF as Enter.
    public static func forCharacter(_ value: UInt32) -> Key? {
        switch value {
        case 0x0D, 0x0A: return .enter
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x09: return .tab
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(value + 0x60)!))
        default: return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }
}
