/// Keys to commands, per scope: the defaults, with a user's `[keys]` overrides applied over them.
public struct Keymap: Sendable {
    public private(set) var keys: [CommandID: [Key]]

    public static let `default` = Keymap(keys: Dictionary(uniqueKeysWithValues: CommandCatalog.all.map { ($0.id, $0.defaultKeys) }))

    /// The commands `key` runs in `scope`, in catalog order: usually one; where two share a key (the
    /// details' `N`: the previous match while searching, else the noise overlay), the first one
    /// enabled runs.
    public func commands(for key: Key, in scope: CommandScope) -> [CommandID] {
        CommandCatalog.all.filter { $0.scopes.contains(scope) && keys[$0.id]?.contains(key) == true }.map(\.id)
    }

    public func command(for key: Key, in scope: CommandScope = .list) -> CommandID? {
        commands(for: key, in: scope).first
    }

    public func keys(for id: CommandID) -> [Key] { keys[id] ?? [] }

    /// Help and footers name keys in words (Enter, Up) instead of glyphs (⏎ ↑) where Unicode
    /// cannot be drawn (`--no-unicode`): the frame's glyph stand-ins keep one column and read wrong.
    var plainKeyNames = false

    /// A key as help and footers write it.
    func name(_ key: Key) -> String { plainKeyNames ? key.plainDescription : key.description }

    /// The scopes where a command is run by a key (the `:` line's words are typed, not pressed).
    static func keyScopes(_ command: Command) -> Set<CommandScope> { Set(command.scopes).subtracting([.commandLine]) }

    /// The keymap with a user's `[keys]` bindings: each named command gets exactly the keys listed,
    /// and a key taken over is removed from the commands that had it in a scope they share with it
    /// (the status panel's `f` is no rival of the list's). Problems are reported, not silently
    /// dropped, and otherwise skipped, so a keymap written for another version still starts: unknown
    /// command ids and key names, a `:` word given a key, and two bindings in one config that claim
    /// the same key in the same scope.
    public func applying(_ bindings: [(command: String, keys: [String])]) -> (keymap: Keymap, problems: [String]) {
        var keymap = self
        var problems: [String] = []
        var bound: [CommandID] = []
        for binding in bindings {
            guard let id = CommandID(rawValue: binding.command) else {
                problems.append("[keys] \(binding.command): no such command (commands: \(CommandID.allCases.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            let command = CommandCatalog.command(id)
            let scopes = Self.keyScopes(command)
            guard !scopes.isEmpty else {
                problems.append("[keys] \(binding.command): a word of the : line (:\(id.rawValue)), not bound to keys")
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
            for other in CommandCatalog.all where other.id != id {
                let shared = scopes.intersection(Self.keyScopes(other))
                guard !shared.isEmpty, let taken = keymap.keys[other.id]?.filter(keys.contains), !taken.isEmpty else { continue }
                if bound.contains(other.id) {
                    let scope = CommandScope.allCases.first(where: shared.contains)!.rawValue
                    problems.append("[keys] \(taken.map(\.description).joined(separator: " ")) is bound to both \(other.id.rawValue) and \(id.rawValue) in the \(scope); \(id.rawValue) keeps it")
                }
                keymap.keys[other.id]?.removeAll { keys.contains($0) }
            }
            keymap.keys[id] = keys
            bound.append(id)
        }
        return (keymap, problems)
    }
}
