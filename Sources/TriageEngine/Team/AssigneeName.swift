import Foundation

/// The rule for who a group can be assigned to, shared by every store, the CLI and the UI: one word
/// a person types and a query can name (`alice`, `team:oncall`, `bob@example.com`).
public enum AssigneeName {
    /// Longer is a paste gone wrong, not a name.
    public static let maxLength = 100

    /// What `--to` and the UI's prompt accept: `me` (the acting person), `none` (nobody: nil), or a name.
    public static func target(_ text: String, me: String) throws(TeamInputError) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // The two words are read in any case (`ME`, `None`): nobody means a person called "None".
        switch trimmed.lowercased() {
        case "none": return nil
        case "me":
            if let reason = problem(me) { throw .badOwnName(me, reason: reason) }
            return me
        default: return try validate(trimmed)
        }
    }

    /// The name as stored (`canonical`), or why it cannot be one.
    public static func validate(_ name: String) throws(TeamInputError) -> String {
        let name = canonical(name)
        if let reason = problem(name) { throw .badName(name, reason: reason) }
        return name
    }

    /// Sentry names an assignee as an actor, `user:ID` or `team:ID`; triage names people and teams by
    /// the id alone, so a payload's `user:bob@example.com`, `--to bob@example.com` and
    /// `assigned:bob@example.com` are one assignee, shown as `bob@example.com`.
    /// Every such prefix goes (`user:user:bob` is bob), or a name stored from a payload could not
    /// be found by a query that canonicalises it again.
    public static func canonical(_ name: String) -> String {
        var name = Substring(name)
        while let prefix = ["user:", "team:"].first(where: { name.hasPrefix($0) && name.count > $0.count }) {
            name = name.dropFirst(prefix.count)
        }
        return String(name)
    }

    private static func problem(_ name: String) -> String? {
        if name.isEmpty { return "a name is needed (or `me`, or `none` to unassign)" }
        if name.count > maxLength { return "a name is at most \(maxLength) characters" }
        for (offset, scalar) in name.unicodeScalars.enumerated() {
            let value = scalar.value
            let position = "\(TextScalar.code(scalar)) at character \(offset + 1)"
            // Controls and invisible characters would make two different names look alike on screen.
            if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) { return "it holds a control character (\(position))" }
            if TerminalText.isInvisibleOrReordering(value) { return "it holds an invisible or reordering character (\(position))" }
            // A query names the assignee as one term (`assigned:alice,bob`): no spaces, commas or quotes.
            if scalar.properties.isWhitespace { return "a name is one word, without spaces" }
            if scalar == "," || scalar == "\"" { return "a name cannot hold a comma or a double quote (\(position))" }
        }
        if ["me", "none"].contains(name.lowercased()) { return "`me` and `none` are words for you and for nobody" }
        if name.hasPrefix(":") || name.hasSuffix(":") { return "a name cannot start or end with `:` (`team:oncall` is one)" }
        return nil
    }
}

/// How a refused character is named in a message.
enum TextScalar {
    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
