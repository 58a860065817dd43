import TriageEngine

extension TriageApp {
    /// Where the keyboard is: the box on top, else the screen under it.
    var scope: CommandScope { state.scope }

    var commandContext: CommandContext {
        CommandContext(state: state, scope: scope, storeWritable: !readOnly, trackersConfigured: !(trackers?.trackers.isEmpty ?? true),
                       canUndo: !undoStack.isEmpty || hasPendingWrites,
                       trackerCall: trackerInFlight.flatMap { state.running[$0.id] })
    }

    /// The command `key` runs where the user is: the first enabled one bound to it there, or, when
    /// each is disabled, the first one with its reason; nil when the key means nothing here.
    func command(for key: Key) -> (id: CommandID, disabled: String?)? {
        let ids = keymap.commands(for: key, in: scope)
        guard let first = ids.first else { return nil }
        let context = commandContext
        if let enabled = ids.first(where: { CommandCatalog.command($0).disabledReason(context) == nil }) { return (enabled, nil) }
        return (first, CommandCatalog.command(first).disabledReason(context))
    }

    /// Why `command` cannot run here and now, said on the status line; nil when it can.
    func refusal(_ command: CommandID) -> String? {
        guard let reason = CommandCatalog.command(command).disabledReason(commandContext) else { return nil }
        state.message = Message(kind: .info, text: reason)
        return reason
    }
}
