import Foundation

/// The rule for a note's text, shared by every store, the CLI and the UI.
public enum NoteText {
    /// A handoff fits in far less; longer is a paste gone wrong.
    public static let maxLength = 10_000

    /// The text as stored (without leading and trailing blank space), or why it cannot be a note.
    /// Newlines and tabs are kept; other control characters are refused, since a note is shown on
    /// other people's terminals.
    public static func validate(_ text: String) throws(TeamInputError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw .emptyNote }
        if trimmed.count > maxLength {
            throw .badNote(reason: "a note is at most \(GroupPresentation.count(maxLength)) characters (this one has \(GroupPresentation.count(trimmed.count)))")
        }
        for (offset, scalar) in trimmed.unicodeScalars.enumerated() where scalar != "\n" && scalar != "\t" {
            let value = scalar.value
            if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) {
                throw .badNote(reason: "it holds a control character (\(TextScalar.code(scalar)) at character \(offset + 1))")
            }
        }
        return trimmed
    }
}
