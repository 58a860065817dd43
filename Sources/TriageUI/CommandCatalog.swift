import TriageEngine

/// Every user action, declared once. Dispatch, the `?` overlay, the footers' hints, the `:` line's
/// completion and keymap validation all read this table, so none of them can drift from behaviour.
public enum CommandID: String, Sendable, CaseIterable {
    case down, up, top, bottom, pageDown = "page_down", pageUp = "page_up"
    case open, back, query, searchDetails = "search_details", nextMatch = "next_match", previousMatch = "previous_match"
    case types, status, resolve, ignore, reopen, mark, undo, cycleSort = "cycle_sort", reverseSort = "reverse_sort"
    case olderOccurrence = "older_occurrence", newerOccurrence = "newer_occurrence", viewPayload = "view_payload"
    case noise, trackers, copy, follow, mouse, repaint, acknowledge, commandLine = "command_line", help, quit
    case ignoreForever = "ignore_forever", ignoreUntilEscalating = "ignore_until_escalating", ignoreFor = "ignore_for"
    case ignoreUntil = "ignore_until", ignoreUntilEvents = "ignore_until_events", ignoreUntilUsers = "ignore_until_users"
    case fileIssue = "file_issue", linkIssue = "link_issue", unlinkIssue = "unlink_issue"
    case sort, theme, priority, columns, jump
    case assign, note, messages
}

/// Where a command's key works: the screen or box that has the keyboard. A key means one thing per
/// scope, so the status panel's `f` (ignore forever) and the list's `f` (follow) never collide.
public enum CommandScope: String, Sendable, CaseIterable {
    case list, details
    case statusPanel = "status panel"
    case trackerMenu = "tracker menu"
    /// Help, the noise overlay and the type picker.
    case overlay
    /// Words typed on the `:` line.
    case commandLine = ": line"
}

/// What a command needs to run here and now; unmet, its reason is what the key says.
public struct Requirement: Sendable {
    let reason: @Sendable (CommandContext) -> String?

    /// On the list or in details (a box acts on what it was opened for).
    static let groupSelected = Requirement { context in
        [.list, .details].contains(context.scope) && !context.hasGroup ? "no group selected" : nil
    }
    static let onTheList = Requirement { $0.scope == .details ? "back to the list (Esc) first" : nil }
    static let inDetails = Requirement { $0.state.detail != nil ? nil : "open a group (⏎) to step through its occurrences" }
    static let detailSearch = Requirement { $0.state.detail?.search != nil ? nil : "no search in the details: / searches them" }
    static let writable = Requirement { context in
        if context.state.storeUnreachable { return unreachable }
        return context.storeWritable ? nil : "the store is read-only here: browsing only"
    }
    /// For a command that opens a prompt people type sentences into: it opens while the store is
    /// unreachable (its Enter waits for the store), so the sentence never runs as list keys.
    static let writableOnceReachable = Requirement { $0.storeWritable ? nil : "the store is read-only here: browsing only" }
    static let unreachable = "the store is unreachable (retrying): no changes until it is back"
    static let trackersConfigured = Requirement { $0.trackersConfigured ? nil : "no issue trackers configured: add a [plugins.NAME] table to the config" }
    static let spoolFollowed = Requirement { $0.state.following != nil ? nil : "no spool is being followed (start with --follow)" }
    static let somethingToUndo = Requirement { $0.canUndo ? nil : "nothing to undo" }
    static let notifications = Requirement { $0.state.alerts > 0 ? nil : "no notifications to acknowledge" }
    static let trackerIdle = Requirement { context in
        context.trackerCall.map { "still \($0); one tracker call at a time" }
    }
    static let linked = Requirement { context in
        guard case let .trackerMenu(menu) = context.state.overlay, menu.selected.link == nil else { return nil }
        return "\(menu.group.shortID) is not linked in \(menu.selected.tracker)"
    }
    /// In the status panel, the choice must apply to at least one of its groups.
    static func panelAllows(_ choice: StatusPanel.Choice) -> Requirement {
        Requirement { context in
            guard case let .statusPanel(panel) = context.state.overlay, let refusal = panel.option(choice).refusal else { return nil }
            return "cannot \(choice.label.replacingOccurrences(of: "…", with: "")): \(refusal)"
        }
    }
}

/// What a command's requirements are checked against.
public struct CommandContext: Sendable {
    public let state: AppState
    public let scope: CommandScope
    public let storeWritable: Bool
    public let trackersConfigured: Bool
    public let canUndo: Bool
    /// The tracker call under way ("filing on github…"), if any.
    public let trackerCall: String?

    var hasGroup: Bool { state.detail != nil || state.list.selectedGroup != nil }
}

public struct Command: Sendable {
    public let id: CommandID
    public let title: String
    public let defaultKeys: [Key]
    public let scopes: [CommandScope]
    /// Short labels for the footer of each scope that shows the command ("resolve", "back").
    public let hints: [CommandScope: String]
    /// What follows the command's name on the `:` line, for those that take an argument.
    public let usage: String?
    let requirements: [Requirement]

    init(_ id: CommandID, _ title: String, keys: [Key] = [], in scopes: [CommandScope], hints: [CommandScope: String] = [:], usage: String? = nil,
         requires requirements: [Requirement] = []) {
        self.id = id
        self.title = title
        defaultKeys = keys
        self.scopes = scopes
        self.hints = hints
        self.usage = usage
        self.requirements = requirements
    }

    /// Why the command cannot run in `context`, or nil when it can.
    public func disabledReason(_ context: CommandContext) -> String? {
        requirements.lazy.compactMap { $0.reason(context) }.first
    }

    /// Runs by its id on the `:` line (`:undo`) from the list or details, wherever it works.
    public var runsFromCommandLine: Bool { runsFromCommandLine(in: .list) || runsFromCommandLine(in: .details) }

    /// Runs by its id on the `:` line typed in `scope` (`:older_occurrence` in details).
    public func runsFromCommandLine(in scope: CommandScope) -> Bool {
        id != .commandLine && (scopes.contains(scope) || scopes.contains(.commandLine))
    }
}

public enum CommandCatalog {
    private static let moving: [CommandScope] = [.list, .details, .overlay]
    /// Keys that scroll: every box scrolls when the terminal is too short for it (the status panel too).
    private static let scrolling: [CommandScope] = moving + [.statusPanel]
    private static let screens: [CommandScope] = [.list, .details]

    /// In the order help lists them; where a key means two commands in one scope, the first enabled one runs.
    public static let all: [Command] = [
        Command(.down, "Move down", keys: [.character("j"), .down], in: scrolling + [.trackerMenu], hints: [.list: "move", .details: "scroll", .overlay: "scroll", .statusPanel: "scroll"]),
        Command(.up, "Move up", keys: [.character("k"), .up], in: scrolling + [.trackerMenu], hints: [.list: "move", .details: "scroll", .overlay: "scroll", .statusPanel: "scroll"]),
        Command(.top, "Go to the top", keys: [.character("g"), .home], in: scrolling),
        Command(.bottom, "Go to the bottom", keys: [.character("G"), .end], in: scrolling),
        Command(.pageDown, "Page down", keys: [.control("d"), .pageDown], in: scrolling),
        Command(.pageUp, "Page up", keys: [.control("u"), .pageUp], in: scrolling),
        Command(.open, "Open the group's details (types: filter by the chosen)", keys: [.enter], in: moving, hints: [.list: "details"], requires: [.groupSelected]),
        Command(.back, "Back; on the list, reset the query", keys: [.escape], in: moving + [.statusPanel, .trackerMenu],
                hints: [.overlay: "close", .statusPanel: "close"]),
        Command(.query, "Edit the query", keys: [.character("/")], in: [.list, .commandLine], hints: [.list: "filter"], usage: "TEXT"),
        Command(.searchDetails, "Search the details", keys: [.character("/")], in: [.details], hints: [.details: "search"]),
        Command(.nextMatch, "The details' next match", keys: [.character("n")], in: [.details], requires: [.detailSearch]),
        Command(.previousMatch, "The details' previous match", keys: [.character("N")], in: [.details], requires: [.detailSearch]),
        Command(.types, "Pick types to filter by", keys: [.character("t")], in: moving, hints: [.list: "types"], requires: [.onTheList]),
        Command(.status, "Status panel", keys: [.character("s")], in: screens, hints: [.list: "status", .details: "status"], requires: [.writable, .groupSelected]),
        Command(.resolve, "Resolve", keys: [.character("r")], in: screens + [.statusPanel], hints: [.list: "resolve", .statusPanel: "resolve"], requires: [.writable, .groupSelected, .panelAllows(.resolve)]),
        Command(.ignore, "Ignore (options)", keys: [.character("i")], in: screens + [.commandLine], usage: "[forever | escalating | 2h | until 14:05 | 100/1h events | 5 users]",
                requires: [.writable, .groupSelected]),
        Command(.reopen, "Reopen", keys: [.character("o")], in: screens + [.statusPanel], hints: [.statusPanel: "reopen"], requires: [.writable, .groupSelected, .panelAllows(.reopen)]),
        Command(.mark, "Mark / unmark the row (types: toggle the type)", keys: [.character(" ")], in: moving, hints: [.list: "mark"], requires: [.onTheList, .groupSelected]),
        Command(.undo, "Undo status changes and assignments, newest first", keys: [.character("u")], in: screens, requires: [.writable, .somethingToUndo]),
        Command(.cycleSort, "Cycle the sort order", keys: [.character("S")], in: screens, requires: [.onTheList]),
        Command(.reverseSort, "Reverse the sort order", keys: [.character("R")], in: screens, requires: [.onTheList]),
        Command(.olderOccurrence, "Details: the occurrence before", keys: [.character("[")], in: screens, hints: [.details: "older/newer"], requires: [.inDetails]),
        Command(.newerOccurrence, "Details: the occurrence after", keys: [.character("]")], in: screens, hints: [.details: "older/newer"], requires: [.inDetails]),
        Command(.viewPayload, "The full payload, pretty-printed, in $PAGER", keys: [.character("v")], in: screens, hints: [.details: "payload"], requires: [.groupSelected]),
        Command(.noise, "Occurrences held below their type's noise limit", keys: [.character("N")], in: moving),
        Command(.trackers, "Issue trackers: file, link or unlink an external issue", keys: [.character("L")], in: screens + [.trackerMenu],
                requires: [.writable, .trackersConfigured, .groupSelected]),
        Command(.copy, "Copy the group's id and title (OSC 52)", keys: [.character("y")], in: screens, requires: [.groupSelected]),
        Command(.follow, "Pause / resume following", keys: [.character("f")], in: screens + [.commandLine], usage: "[on | off]", requires: [.spoolFollowed]),
        Command(.mouse, "Mouse on / off (off: the terminal selects text)", keys: [.character("m")], in: screens + [.commandLine], usage: "[on | off]"),
        Command(.assign, "Assign to a name, me or none (Tab completes)", keys: [.character("a")], in: screens + [.commandLine], usage: "NAME | me | none",
                requires: [.writableOnceReachable, .groupSelected]),
        Command(.note, "Add a handoff note to the group(s)", keys: [.character("c")], in: screens + [.commandLine], usage: "TEXT",
                requires: [.writableOnceReachable, .groupSelected]),
        Command(.acknowledge, "Acknowledge the 🔔 notifications (clears the count)", keys: [.character("b")], in: screens, requires: [.notifications]),
        Command(.repaint, "Repaint the whole screen", keys: [.control("l")], in: screens),
        Command(.commandLine, "Command line (:resolve, :sort events, :theme light…)", keys: [.character(":")], in: screens),
        Command(.help, "Help: every key", keys: [.character("?")], in: moving, hints: [.list: "help", .details: "help"]),
        Command(.quit, "Back from details; quit from the list (Ctrl-C always quits)", keys: [.character("q")], in: moving + [.statusPanel, .trackerMenu], hints: [.list: "quit", .details: "back"]),

        Command(.ignoreForever, "Ignore forever", keys: [.character("f")], in: [.statusPanel], hints: [.statusPanel: "forever"], requires: [.writable, .panelAllows(.ignoreForever)]),
        Command(.ignoreUntilEscalating, "Ignore until escalating", keys: [.character("e")], in: [.statusPanel], hints: [.statusPanel: "until escalating"], requires: [.writable, .panelAllows(.ignoreUntilEscalating)]),
        Command(.ignoreFor, "Ignore for a duration…", keys: [.character("d")], in: [.statusPanel], hints: [.statusPanel: "for…"], requires: [.writable, .panelAllows(.ignoreForDuration)]),
        Command(.ignoreUntil, "Ignore until a time…", keys: [.character("t")], in: [.statusPanel], hints: [.statusPanel: "until…"], requires: [.writable, .panelAllows(.ignoreUntilTime)]),
        Command(.ignoreUntilEvents, "Ignore until N more events…", keys: [.character("n")], in: [.statusPanel], hints: [.statusPanel: "events…"], requires: [.writable, .panelAllows(.ignoreUntilEvents)]),
        Command(.ignoreUntilUsers, "Ignore until N more users…", keys: [.character("w")], in: [.statusPanel], hints: [.statusPanel: "users…"], requires: [.writable, .panelAllows(.ignoreUntilUsers)]),

        Command(.fileIssue, "File a new issue", keys: [.character("c")], in: [.trackerMenu], hints: [.trackerMenu: "new issue"], requires: [.writable, .trackerIdle]),
        Command(.linkIssue, "Link an existing issue (its id typed)", keys: [.character("l")], in: [.trackerMenu], hints: [.trackerMenu: "link existing"], requires: [.writable, .trackerIdle]),
        Command(.unlinkIssue, "Unlink", keys: [.character("x")], in: [.trackerMenu], hints: [.trackerMenu: "unlink"], requires: [.writable, .trackerIdle, .linked]),

        Command(.sort, "Sort by last_seen, first_seen, events, priority or trend", in: [.commandLine], usage: "NAME [asc | desc]"),
        Command(.theme, "Switch the theme", in: [.commandLine], usage: "NAME"),
        Command(.priority, "Set the priority by hand (auto: occurrences set it)", in: [.commandLine], usage: "high | medium | low | auto",
                requires: [.writable, .groupSelected]),
        Command(.columns, "Show or hide the short-id column", in: [.commandLine], usage: "id | -id"),
        Command(.jump, "Jump to a group by id (also :P1-3F)", in: [.commandLine], usage: "P1-3F"),
        Command(.messages, "The recent messages in full (the status line cuts long ones)", in: [.commandLine]),
    ]

    public static func command(_ id: CommandID) -> Command { all.first { $0.id == id }! }

    /// The commands of a scope, in catalog order.
    public static func commands(in scope: CommandScope) -> [Command] { all.filter { $0.scopes.contains(scope) } }
}
