/// Every user action, declared once. Dispatch, the `?` overlay and the status-line hints all read
/// this table, so help can never drift from behaviour.
public enum CommandID: String, Sendable, CaseIterable {
    case down, up, top, bottom, pageDown = "page_down", pageUp = "page_up"
    case open, back, query, status, resolve, ignore, reopen, mark, cycleSort = "cycle_sort"
    case follow, help, quit
}

public struct Command: Sendable {
    public let id: CommandID
    public let title: String
    public let defaultKeys: [Key]
    /// Shown in the status line's hints (a short label), when the screen allows it.
    public let hint: String?
}

public enum CommandCatalog {
    public static let all: [Command] = [
        Command(id: .down, title: "Move down", defaultKeys: [.character("j"), .down], hint: nil),
        Command(id: .up, title: "Move up", defaultKeys: [.character("k"), .up], hint: nil),
        Command(id: .top, title: "Go to the top", defaultKeys: [.character("g"), .home], hint: nil),
        Command(id: .bottom, title: "Go to the bottom", defaultKeys: [.character("G"), .end], hint: nil),
        Command(id: .pageDown, title: "Page down", defaultKeys: [.control("d"), .pageDown], hint: nil),
        Command(id: .pageUp, title: "Page up", defaultKeys: [.control("u"), .pageUp], hint: nil),
        Command(id: .open, title: "Open the group's details", defaultKeys: [.enter], hint: "details"),
        Command(id: .back, title: "Back; on the list, reset the query", defaultKeys: [.escape], hint: nil),
        Command(id: .query, title: "Edit the query", defaultKeys: [.character("/")], hint: "filter"),
        Command(id: .status, title: "Status panel", defaultKeys: [.character("s")], hint: "status"),
        Command(id: .resolve, title: "Resolve", defaultKeys: [.character("r")], hint: "resolve"),
        Command(id: .ignore, title: "Ignore (options)", defaultKeys: [.character("i")], hint: nil),
        Command(id: .reopen, title: "Reopen", defaultKeys: [.character("o")], hint: nil),
        Command(id: .mark, title: "Mark / unmark the row", defaultKeys: [.character(" ")], hint: "mark"),
        Command(id: .cycleSort, title: "Cycle the sort order", defaultKeys: [.character("S")], hint: nil),
        Command(id: .follow, title: "Pause / resume following", defaultKeys: [.character("f")], hint: nil),
        Command(id: .help, title: "Help: every key", defaultKeys: [.character("?")], hint: "help"),
        Command(id: .quit, title: "Back from details; quit from the list (Ctrl-C always quits)", defaultKeys: [.character("q")], hint: "quit"),
    ]

    public static func command(_ id: CommandID) -> Command { all.first { $0.id == id }! }
}

/// Keys to commands: the defaults, with a user's `[keys]` overrides applied over them.
public struct Keymap: Sendable {
    public private(set) var keys: [CommandID: [Key]]

    public static let `default` = Keymap(keys: Dictionary(uniqueKeysWithValues: CommandCatalog.all.map { ($0.id, $0.defaultKeys) }))

    public func command(for key: Key) -> CommandID? {
        CommandCatalog.all.first { keys[$0.id]?.contains(key) == true }?.id
    }

    public func keys(for id: CommandID) -> [Key] { keys[id] ?? [] }
}
