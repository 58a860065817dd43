import TriageEngine

/// Work that may take long (a store write waits on SQLite's lock while ingest holds it; a tracker
/// call waits up to its timeout), performed by the runner off the UI thread so keys keep being
/// served. Its result comes back as `Action.finished`.
public struct BackgroundJob: Sendable, Equatable {
    /// Store writes run one after another, in the order asked; tracker calls one at a time beside them.
    public enum Lane: Sendable, Equatable { case store, tracker }

    public let id: Int
    public let lane: Lane
    /// What the header shows meanwhile ("resolving…", "filing on github…").
    public let label: String
    public let work: @Sendable () -> JobResult

    public static func == (lhs: BackgroundJob, rhs: BackgroundJob) -> Bool { lhs.id == rhs.id }
}

/// What a job brought back.
public enum JobResult: Sendable {
    /// A status change went through (`IssueStore.apply`).
    case applied([TransitionResult])
    /// An undo went through (`IssueStore.revert`).
    case reverted([TransitionResult], changedSince: [Int64])
    /// A priority was set.
    case prioritySet
    /// An assignment went through (`IssueStore.assign`), group by group.
    case assigned([AssignmentChange])
    /// An assignment's undo went through: the groups given back their assignee, and those assigned
    /// again since (left alone).
    case unassigned([AssignmentChange], changedSince: [Int64])
    case noted
    /// A tracker call ended: what to say about it.
    case tracker(Message)
    /// Nothing changed, and why (one sentence for the status line).
    case failed(String)
}

/// One thing `u` takes back, newest first: a status change or an assignment, of one group or several.
enum UndoEntry: Sendable {
    case status([TransitionResult])
    case assignment([AssignmentChange])
}

/// A store write the user asked for, kept until its result arrives so the screen can show its target
/// state at once and report it in place afterwards.
enum StoreWrite: Sendable {
    case status(StatusAction, [Group])
    case priority(Int?, name: String, [Group])
    case assign(String?, [Group])
    case note(String, [Group])
    /// Takes back the newest change; which one is decided when it runs, after the writes before it.
    case undo
    /// The undo, once it runs: the change it takes back.
    case revert(UndoEntry)

    var label: String {
        switch self {
        case let .status(action, _):
            switch action {
            case .resolve: return "resolving…"
            case .reopen: return "reopening…"
            case .ignore: return "ignoring…"
            }
        case .priority: return "setting priority…"
        case .assign: return "assigning…"
        case .note: return "adding the note…"
        case .undo, .revert: return "undoing…"
        }
    }

    var targets: [Group] {
        switch self {
        case let .status(_, targets), let .priority(_, _, targets), let .assign(_, targets), let .note(_, targets): return targets
        case .undo, .revert: return []
        }
    }
}

extension JobResult {
    /// A thrown error as the line the user reads (the store's own errors say what to do).
    static func failure(_ error: any Error) -> JobResult {
        switch error {
        case let error as StoreError: return .failed(error.description)
        case let error as LinkError: return .failed(error.description)
        default: return .failed(StoreFailure.describe(error) ?? "\(error)")
        }
    }
}
