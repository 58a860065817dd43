/// Every user action, declared once. Dispatch, the `?` overlay and the status-line hints all read
/// this table, so help can never drift from behaviour.
public enum CommandID: String, Sendable, CaseIterable {
    case down, up, top, bottom, pageDown = "page_down", pageUp = "page_up"
    case open, back, query, types, status, resolve, ignore, reopen, mark, undo, cycleSort = "cycle_sort", reverseSort = "reverse_sort"
    case olderOccurrence = "older_occurrence", newerOccurrence = "newer_occurrence", viewPayload = "view_payload"
    case noise, trackers, copy, follow, mouse, repaint, acknowledge, commandLine = "command_line", help, quit
    case assign, note
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
        Command(id: .types, title: "Pick types to filter by", defaultKeys: [.character("t")], hint: "types"),
        Command(id: .status, title: "Status panel", defaultKeys: [.character("s")], hint: "status"),
        Command(id: .resolve, title: "Resolve", defaultKeys: [.character("r")], hint: "resolve"),
        Command(id: .ignore, title: "Ignore (options)", defaultKeys: [.character("i")], hint: nil),
        Command(id: .reopen, title: "Reopen", defaultKeys: [.character("o")], hint: nil),
        Command(id: .mark, title: "Mark / unmark the row", defaultKeys: [.character(" ")], hint: "mark"),
        Command(id: .undo, title: "Undo status changes, newest first", defaultKeys: [.character("u")], hint: nil),
        Command(id: .cycleSort, title: "Cycle the sort order", defaultKeys: [.character("S")], hint: nil),
        Command(id: .reverseSort, title: "Reverse the sort order", defaultKeys: [.character("R")], hint: nil),
        Command(id: .olderOccurrence, title: "Details: the occurrence before", defaultKeys: [.character("[")], hint: nil),
        Command(id: .newerOccurrence, title: "Details: the occurrence after", defaultKeys: [.character("]")], hint: nil),
        Command(id: .viewPayload, title: "The full payload, pretty-printed, in $PAGER", defaultKeys: [.character("v")], hint: nil),
        Command(id: .noise, title: "Occurrences held below their type's noise limit", defaultKeys: [.character("N")], hint: nil),
        Command(id: .assign, title: "Assign to a name, me or none (Tab completes)", defaultKeys: [.character("a")], hint: nil),
        Command(id: .note, title: "Add a note (a handoff) to the history", defaultKeys: [.character("c")], hint: nil),
        Command(id: .trackers, title: "Issue trackers: file, link or unlink an external issue", defaultKeys: [.character("L")], hint: nil),
        Command(id: .copy, title: "Copy the group's id and title (OSC 52)", defaultKeys: [.character("y")], hint: nil),
        Command(id: .follow, title: "Pause / resume following", defaultKeys: [.character("f")], hint: nil),
        Command(id: .mouse, title: "Mouse on / off (off: the terminal selects text)", defaultKeys: [.character("m")], hint: nil),
        Command(id: .acknowledge, title: "Acknowledge the 🔔 notifications (clears the count)", defaultKeys: [.character("b")], hint: nil),
        Command(id: .repaint, title: "Repaint the whole screen", defaultKeys: [.control("l")], hint: nil),
        Command(id: .commandLine, title: "Command line (:resolve, :sort events, :theme light…)", defaultKeys: [.character(":")], hint: nil),
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

    /// The keymap with a user's `[keys]` bindings: each named command gets exactly the keys listed,
    /// and a key taken over is removed from whichever command had it by default. Unknown command
    /// ids and key names are reported (not silently dropped) and otherwise skipped, so a keymap
    /// written for another version still starts.
    public func applying(_ bindings: [(command: String, keys: [String])]) -> (keymap: Keymap, problems: [String]) {
        var keymap = self
        var problems: [String] = []
        for binding in bindings {
            guard let command = CommandID(rawValue: binding.command) else {
                problems.append("[keys] \(binding.command): no such command (commands: \(CommandID.allCases.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            var keys: [Key] = []
            for name in binding.keys {
                guard let key = Key(name: name) else {
                    problems.append("[keys] \(binding.command): '\(name)' is not a key name (like j, G, space, enter, esc, up, pgdn, ctrl-d)")
                    continue
                }
                if key == .control("c") {
                    problems.append("[keys] \(binding.command): ctrl-c always quits and cannot be rebound")
                    continue
                }
                keys.append(key)
            }
            for other in CommandID.allCases where other != command {
                keymap.keys[other]?.removeAll { keys.contains($0) }
            }
            keymap.keys[command] = keys
        }
        return (keymap, problems)
    }
}
