import TriageEngine

/// Everything the screen shows, as plain values. Views render it; `TriageApp` changes it.
public struct AppState: Sendable {
    public var list: ListState
    public var detail: DetailState?
    public var editor: QueryEditor?
    /// The `:` line being typed, if open.
    public var commandLine: LineEditor?
    /// Why the `:` line's last Enter was refused; shown beside it until the next key.
    public var commandLineError: String?
    /// The `a` (assign) or `c` (note) prompt, if open (`TeamPrompt`).
    public var teamPrompt: TeamPrompt?
    /// The command names `Tab` found for the `:` line, listed above it.
    public var commandCandidates: Completion?
    public var overlay: Overlay = .none
    /// A question the user must answer (y/n) before an action runs.
    public var confirmation: Confirmation?
    public var message: Message? {
        didSet {
            // A message that replaces a brief one stays until a key, as messages do.
            messageExpiresAt = nil
            // Every message is kept for `:messages`, so one cut at the screen's edge can be read whole.
            if let message { log(message) }
        }
    }

    /// Keeps a message for `:messages` without putting it on the status line (the user is reading another).
    mutating func log(_ message: Message) {
        if message != messageLog.last { messageLog = Array((messageLog + [message]).suffix(Self.messagesKept)) }
    }
    /// When a brief message (`TriageApp.showBriefly`) leaves the status line by itself, if no key cleared it first.
    public internal(set) var messageExpiresAt: Double?
    /// The recent messages, oldest first (`:messages`).
    public private(set) var messageLog: [Message] = []
    static let messagesKept = 100
    /// Nil when no spool is being followed; otherwise whether following is on.
    public var following: Bool?
    /// When the list was last read from the store (shown as the data's age while following).
    public var refreshedAt: Double = 0
    /// When following was paused: the data is as old as the pause, however often the list is re-read.
    public var pausedAt: Double?
    /// The spool being followed, named on an empty list ("no issues yet — watching SPOOL").
    public var watching: String?
    /// The follower is working through the backlog the spool held when the UI opened.
    public var ingesting = false
    /// Spool files not ingested yet, and files that failed since the UI opened (`TriageApp.setBacklog`).
    public var filesWaiting = 0
    public var filesFailed = 0
    /// Jobs under way off the UI thread (store writes, tracker calls): their labels by job id.
    public var running: [Int: String] = [:]
    /// What the header shows while jobs run ("resolving… · filing on github…").
    public var working: String? {
        running.isEmpty ? nil : running.sorted { $0.key < $1.key }.map(\.value).joined(separator: " · ")
    }
    /// The state a group is shown in while a write to it is under way (the write's target state),
    /// until its result arrives and the store is read again.
    public var pendingStates: [Int64: GroupState] = [:]
    public var mouseEnabled = true
    /// The list shows a short-id column (`:columns id`).
    public var showShortIDs = false
    /// Glyphs may be drawn (not under `--no-unicode` or a non-UTF-8 locale): otherwise every one
    /// is drawn as its ASCII stand-in (`Glyphs`).
    public var unicode = true
    /// Notifications recorded since the UI opened (new issues, regressions, escalations).
    public var alerts = 0
    /// The team store went away: the screen keeps the last data and refuses actions until it is back.
    public var storeUnreachable = false
    /// What the terminal must do that a grid cannot say; the runner takes them after each key.
    public var effects: [Effect] = []
}

/// Requests for the terminal driver.
public enum Effect: Sendable, Equatable {
    /// Put text on the clipboard (OSC 52).
    case copy(String)
    case mouse(Bool)
    case theme(Theme)
    /// Something worth a look arrived (a notification: new issue, regression, escalation).
    case bell
    /// Redraw every cell (the screen was scribbled on by something else).
    case repaint
    /// Show this text in the user's pager, giving it the terminal until it exits.
    case page(String)
    /// Run this off the UI thread and hand its result back as `Action.finished`.
    case perform(BackgroundJob)
    /// A change recorded notifications (an assignment): deliver them now, not with the next ingest.
    case deliverNotifications
}

/// The issue list: a window of rows paged from the store around the selection.
public struct ListState: Sendable {
    public var query: GroupQuery
    public var sort: GroupSort = .lastSeen
    /// Smallest first (`R`), instead of the sort's largest first.
    public var ascending = false
    /// The visible window; `rows[0]` is result number `offset`.
    public var rows: [Group] = []
    public var offset = 0
    /// Index of the selected group in the whole result.
    public var selected = 0
    /// The number of matching groups, or a lower bound when `totalIsExact` is false (the count stops
    /// at a cap well past the view; the header then says "10,000+").
    public var total = 0
    public var totalIsExact = true
    /// The query changed but the keystroke's budget ran out before its results were in: `rows` and
    /// `total` are still the previous query's, and the header says "searching…".
    public var searching = false
    public var marked: Set<Int64> = []
    /// The visible rows' last 24 hours of events (`ListView.trendHours` counts, oldest first) and
    /// distinct users, read for the page only and only when the columns are shown.
    public var trends: [Int64: [Int]] = [:]
    public var users: [Int64: Int] = [:]
    public var loaded = false
    /// No group at all is stored (not merely none matching).
    public var storeIsEmpty = false
    /// Groups that arrived above the view while the user was scrolled away.
    public var newAbove = 0

    public var selectedGroup: Group? {
        let index = selected - offset
        return rows.indices.contains(index) ? rows[index] : nil
    }
}

/// The details of one group, as lines ready to scroll.
public struct DetailState: Sendable {
    public var details: GroupDetails { didSet { revision = DetailRevision.next() } }
    /// Changes with everything the details' lines are built from (not the scroll or the search), so
    /// the built lines are reused until it does (`TriageApp.detailLines`).
    public private(set) var revision = DetailRevision.next()
    public var scroll = 0
    /// Notes that arrived while these details were open and are not in view yet ("1 new note ↓").
    public var unseenNotes = 0
    /// The search being typed (`/` in details), if open.
    public var searchLine: LineEditor?
    /// The text searched for (lowercased), and the line of the match in view.
    public var search: String?
    public var match: Int?
    /// The last seven days of events per hour, oldest first, ending with the current hour.
    public var hours: [Int] = [] { didSet { revision = DetailRevision.next() } }
    /// For a group ignored until escalating, the forecast its current hour must exceed.
    public var outlook: EscalationOutlook? { didSet { revision = DetailRevision.next() } }
    /// The state shown while a status write to this group is under way (`AppState.pendingStates`).
    public var pendingState: GroupState? { didSet { revision = DetailRevision.next() } }

    /// Which occurrence is shown: 0 is the newest.
    public var occurrence: Int { details.occurrenceIndex }
}

/// The `/` line: text being typed, with live results and an inline error.
public struct QueryEditor: Sendable {
    public var line: LineEditor
    public var error: QueryError?
    /// The query in force before editing started (Esc goes back to it).
    public var previous: GroupQuery
    public var historyIndex: Int?
    /// "did you mean …?" for the error, when something is close.
    public var suggestion: String?
    /// The candidates `Tab` found, while `Tab` steps through them.
    public var completion: Completion?
    /// The word being typed that the live query leaves out, since it may become a key
    /// (`QuerySyntax.keyPrefixBeingTyped`); Enter searches it as text.
    public var heldWord: String?
    /// The values a held half-typed value may become (`level:err`), listed while it is typed; the
    /// first `Tab` then completes as it does anywhere (`completion` takes over).
    public var heldValueCandidates: Completion?

    public var text: String { line.text }
}

public enum Overlay: Sendable {
    case none
    case help(scroll: Int)
    case statusPanel(StatusPanel)
    case typePicker(TypePicker)
    /// Grouping keys with noise-held occurrences (spec §4).
    case noise([NoiseHeldKey], scroll: Int)
    case trackerMenu(TrackerMenu)
    /// The recent status-line messages, whole (`:messages`).
    case messages(scroll: Int)
}

/// An action held back until the user says yes: marked groups it would hit are hidden by the filter.
public struct Confirmation: Sendable {
    public let question: String
    let action: HeldAction

    enum HeldAction: Sendable {
        case status(StatusAction, [Group])
        case priority(Int?, String, [Group])
        case assign(String?, [Group])
    }
}

public struct Message: Sendable, Equatable {
    public enum Kind: Sendable { case info, error }
    public let kind: Kind
    public let text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }
}

extension AppState {
    /// Where keys go: the open panel or overlay, else details or the list. Dispatch and the footer
    /// both read it, so the footer's hints are always those of the panel the keys reach.
    public var scope: CommandScope {
        switch overlay {
        case .statusPanel: return .statusPanel
        case .trackerMenu: return .trackerMenu
        case .help, .noise, .typePicker, .messages: return .overlay
        case .none: return detail == nil ? .list : .details
        }
    }
}
