import TriageEngine

extension TriageApp {
    /// The groups a status action applies to: the marked rows if any, else the selected group (or
    /// the open group in details).
    var actionTargets: [Group] {
        if let detail = state.detail { return [detail.details.group] }
        if !state.list.marked.isEmpty {
            // Marked rows may have scrolled out of the window: fetch them by id.
            return state.list.marked.sorted().compactMap { try? store.group(String($0)) }
        }
        return state.list.selectedGroup.map { [$0] } ?? []
    }

    func openPanel() {
        let targets = actionTargets
        guard !targets.isEmpty else {
            state.message = Message(kind: .info, text: "no group selected")
            return
        }
        state.overlay = .statusPanel(StatusPanel(targets: targets, registry: store.registry, now: clock.now()))
    }

    func handlePanel(_ panel: StatusPanel, _ key: Key) throws {
        var panel = panel
        if let pending = panel.pending {
            switch key {
            case .escape: panel.pending = nil
            case .backspace, .delete: panel.pending?.text = String(pending.text.dropLast())
            case let .character(character): panel.pending?.text.append(character)
            case .enter:
                guard let action = pending.choice.action(parameter: pending.text, now: clock.now()) else {
                    state.message = Message(kind: .error, text: "\(pending.text.isEmpty ? "nothing" : pending.text) does not answer: \(pending.choice.question ?? "")")
                    return
                }
                state.overlay = .none
                try apply(action, to: panel.targets)
                return
            default: break
            }
            state.overlay = .statusPanel(panel)
            return
        }
        if key == .escape || key == .character("q") {
            state.overlay = .none
            return
        }
        guard case let .character(letter) = key, let choice = StatusPanel.Choice(rawValue: letter) else {
            state.message = Message(kind: .error, text: "\(key) is not a choice here; Esc closes the panel")
            return
        }
        let option = panel.option(choice)
        if let refusal = option.refusal {
            state.message = Message(kind: .error, text: "cannot \(choice.label.replacingOccurrences(of: "…", with: "")): \(refusal)")
            return
        }
        if choice.question != nil {
            panel.pending = (choice, "")
            state.overlay = .statusPanel(panel)
            return
        }
        state.overlay = .none
        try apply(choice.action(parameter: nil, now: clock.now())!, to: panel.targets)
    }

    func apply(_ action: StatusAction) throws {
        try apply(action, to: actionTargets)
    }

    /// Applies through the store (all or nothing), reports the result in place, clears the marks.
    func apply(_ action: StatusAction, to targets: [Group]) throws {
        guard !targets.isEmpty else { return }
        do {
            let results = try store.apply(action, to: targets.map(\.id), actor: activity.map { "tui:\($0.actor.name)" } ?? "tui")
            activity?.statusChanged(results, groups: targets, by: action)
            let changed = results.filter { $0.to != nil }
            if changed.isEmpty {
                state.message = Message(kind: .info, text: "already \(results[0].from)")
            } else if changed.count == 1, let target = changed[0].to {
                let group = targets.first { $0.id == changed[0].groupID }!
                state.message = Message(kind: .info, text: "\(group.shortID): \(changed[0].from) → \(target)")
            } else {
                state.message = Message(kind: .info, text: "\(action.verb): \(changed.count) groups")
            }
            state.list.marked.removeAll()
            if !changed.isEmpty { lastChange = changed }
        } catch let error as StoreError {
            state.message = Message(kind: .error, text: error.description)
        }
        try reload()
        try refreshDetail()
    }

    func refreshDetail() throws {
        if let detail = state.detail { state.detail?.details = try store.details(of: detail.details.group.id, occurrence: detail.occurrence) }
    }

    /// Takes back the last status change, once. Groups that changed again since (a regression, another
    /// user) are left alone and named.
    func undo() throws {
        guard let change = lastChange else {
            state.message = Message(kind: .info, text: "nothing to undo")
            return
        }
        lastChange = nil
        let outcome = try store.revert(change, actor: "tui")
        var text = outcome.reverted.count == 1
            ? "undone: \(try shortID(outcome.reverted[0].groupID)) back to \(outcome.reverted[0].to!)"
            : "undone for \(outcome.reverted.count) groups"
        if !outcome.changedSince.isEmpty {
            text += "; left alone (changed since): \(try outcome.changedSince.map(shortID).joined(separator: ", "))"
        }
        state.message = Message(kind: outcome.reverted.isEmpty ? .error : .info, text: text)
        try reload()
        try refreshDetail()
    }

    private func shortID(_ groupID: Int64) throws -> String { try store.group(String(groupID)).shortID }
}
