import TriageEngine

/// Everything the screen shows, as plain values. Views render it; `TriageApp` changes it.
public struct AppState: Sendable {
    public var list: ListState
    public var detail: DetailState?
    public var editor: QueryEditor?
    /// The `:` line being typed, if open.
    public var commandLine: String?
    public var overlay: Overlay = .none
    public var message: Message?
    /// Nil when no spool is being followed; otherwise whether following is on.
    public var following: Bool?
    /// When the list was last read from the store (shown as the data's age while following).
    public var refreshedAt: Double = 0
    public var mouseEnabled = true
    /// Notifications recorded since the UI opened (new issues, regressions, escalations).
    public var alerts = 0
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
}

/// The issue list: a window of rows paged from the store around the selection.
public struct ListState: Sendable {
    public var query: GroupQuery
    public var sort: GroupSort = .lastSeen
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
    public var loaded = false
    /// Groups that arrived above the view while the user was scrolled away.
    public var newAbove = 0

    public var selectedGroup: Group? {
        let index = selected - offset
        return rows.indices.contains(index) ? rows[index] : nil
    }
}

/// The details of one group, as lines ready to scroll.
public struct DetailState: Sendable {
    public var details: GroupDetails
    public var scroll = 0

    /// Which occurrence is shown: 0 is the newest.
    public var occurrence: Int { details.occurrenceIndex }
}

/// The `/` line: text being typed, with live results and an inline error.
public struct QueryEditor: Sendable {
    public var text: String
    public var error: QueryError?
    /// The query in force before editing started (Esc goes back to it).
    public var previous: GroupQuery
    public var historyIndex: Int?
}

public enum Overlay: Sendable {
    case none
    case help
    case statusPanel(StatusPanel)
    case typePicker(TypePicker)
    /// Grouping keys with noise-held occurrences (spec §4).
    case noise([NoiseHeldKey])
    case trackerMenu(TrackerMenu)
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
