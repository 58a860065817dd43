/// A configured notifier (`[[notifiers]]`).
public enum NotifierConfig: Sendable, Equatable {
    /// Appends one JSON object per line to a file.
    case jsonl(name: String, path: String)
    /// Runs a program (argv, no shell) with the notification as JSON on standard input; exit 0 is delivered.
    case command(name: String, argv: [String], timeout: Double)
    /// POSTs the notification as JSON; a 2xx answer is delivered.
    case webhook(name: String, url: String, timeout: Double)

    public var name: String {
        switch self {
        case let .jsonl(name, _), let .command(name, _, _), let .webhook(name, _, _): return name
        }
    }

    /// How long one delivery may take before it counts as failed.
    public var timeout: Double {
        switch self {
        case .jsonl: return 5
        case let .command(_, _, timeout), let .webhook(_, _, timeout): return timeout
        }
    }
}
