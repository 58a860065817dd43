import TriageEngine

/// What `u` says it gave back: the groups by id (however many), who or what state they went back
/// to, what was left alone, and which of them the filter hides.
extension TriageApp {
    /// Says what an undo gave back and puts the cursor on the group; groups that changed again since
    /// (a regression, another user) were left alone and are named.
    func reportUndo(_ reverted: [TransitionResult], changedSince: [Int64]) throws {
        let targets = Set(reverted.map { $0.to.map { "\($0)" } ?? "?" })
        let back = targets.count == 1 ? " back to \(targets.first!)" : ""
        var text = try undoneText(reverted.map(\.groupID), back: back)
        if !changedSince.isEmpty {
            text += "; left alone (changed since): \(try named(changedSince))"
        }
        try finishUndo(text, undone: reverted.map(\.groupID))
    }

    /// Says whom an undone assignment gave the groups back to, as a status undo does.
    func reportAssignmentUndo(_ reverted: [AssignmentChange], changedSince: [Int64]) throws {
        let names = Set(reverted.map { AssignmentChange.name($0.to) })
        let back = names.count == 1 ? " back to \(names.first!)" : ""
        var text = try undoneText(reverted.map(\.groupID), back: back)
        if !changedSince.isEmpty {
            text += "; left alone (assigned again since): \(try named(changedSince))"
        }
        try finishUndo(text, undone: reverted.map(\.groupID))
    }

    /// Shows an undo's message, with what is left to undo and the undone groups the filter hides
    /// (each named, however many were undone), and puts the cursor on the first one it shows.
    private func finishUndo(_ text: String, undone: [Int64]) throws {
        var text = text
        if !undoStack.isEmpty { text += " · \(undoStack.count) more to undo" }
        if state.detail == nil, !undone.isEmpty {
            var hidden: [Int64] = []
            var cursor: Int?
            // A position costs a query: a bulk undo past this many names no hidden group.
            let checked = undone.prefix(100)
            for id in checked {
                if let index = try position(of: id) { cursor = cursor ?? index } else { hidden.append(id) }
            }
            if let cursor { state.list.selected = cursor }
            if hidden.count == 1, undone.count == 1 {
                text += " (\(try named(hidden)) is not under this filter)"
            } else if !hidden.isEmpty, hidden.count == undone.count {
                text += " (none of the \(undone.count) is under this filter)"
            } else if !hidden.isEmpty {
                text += " (\(hidden.count) not under this filter: \(try named(hidden)))"
            }
        }
        state.message = Message(kind: undone.isEmpty ? .error : .info, text: text)
    }

    /// "undone: P1-2 back to …", or with several, their count and ids.
    private func undoneText(_ ids: [Int64], back: String) throws -> String {
        switch ids.count {
        case 0: return "nothing undone"
        case 1: return "undone: \(try shortID(ids[0]))\(back)"
        default: return "undone for \(ids.count) groups (\(try named(ids)))\(back)"
        }
    }

    /// Groups by short id: "P1-1, P1-2, P1-3", the first five and then how many more.
    private func named(_ ids: [Int64]) throws -> String {
        try ids.prefix(5).map(shortID).joined(separator: ", ") + (ids.count > 5 ? " and \(ids.count - 5) more" : "")
    }

    private func shortID(_ groupID: Int64) throws -> String { try store.group(String(groupID)).shortID }
}
