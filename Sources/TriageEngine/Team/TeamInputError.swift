/// Why an assignee name or a note was refused, in one sentence that says what to type instead.
public enum TeamInputError: Error, Equatable, CustomStringConvertible {
    /// A name given for `--to` (or the UI's prompt) that cannot be an assignee.
    case badName(String, reason: String)
    /// `me` stands for a name that cannot be an assignee (`$TRIAGE_USER`, else the login name).
    case badOwnName(String, reason: String)
    case emptyNote
    case badNote(reason: String)

    public var description: String {
        switch self {
        case let .badName(name, reason): return "cannot assign to \(Sanitized.quote(name)): \(reason)"
        case let .badOwnName(name, reason):
            return "`me` is \(Sanitized.quote(name)) ($TRIAGE_USER, else the login name), which cannot be an assignee: \(reason); set TRIAGE_USER to a name"
        case .emptyNote: return "a note needs some text"
        case let .badNote(reason): return "cannot add the note: \(reason)"
        }
    }
}
