import Foundation

/// OSC 52 ("set the clipboard") escape sequences.
public enum ClipboardSequence {
    public enum Multiplexer: Sendable { case none, tmux, screen }

    /// Terminals cap what they accept (xterm: 100,000 bytes of sequence, so about 74,994 bytes of
    /// text); longer text is cut at a character boundary rather than refused.
    public static let maxBytes = 74_994

    public static func osc52(_ text: String, multiplexer: Multiplexer) -> String {
        var used = 0
        let kept = text.unicodeScalars.prefix { scalar in
            used += UTF8.width(scalar)
            return used <= maxBytes
        }
        let sequence = "\u{1B}]52;c;\(Data(String(String.UnicodeScalarView(kept)).utf8).base64EncodedString())\u{07}"
        switch multiplexer {
        case .none: return sequence
        // tmux takes the bare sequence when `set-clipboard on`; the DCS-wrapped copy (escapes
        // doubled) reaches the outer terminal when `allow-passthrough on`. Either setting works.
        case .tmux: return sequence + "\u{1B}Ptmux;\(sequence.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}"))\u{1B}\\"
        case .screen: return "\u{1B}P\(sequence)\u{1B}\\"
        }
    }
}
