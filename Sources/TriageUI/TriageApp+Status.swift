import Foundation
import TriageEngine

extension TriageApp {
    /// The groups a status action applies to: the marked rows if any (in the list's order, so what an
    /// action reports reads as the list does), else the selected group (or the open group in details).
    var actionTargets: [Group] {
        if let detail = state.detail { return [detail.details.group] }
        if !state.list.marked.isEmpty { return markedInListOrder }
        return state.list.selectedGroup.map { [$0] } ?? []
    }

    /// Marked rows may have scrolled out of the window: they are read by id, in the list's order,
    /// then those the filter hides, by id.
    private var markedInListOrder: [Group] {
        let list = state.list
        let ids = list.marked.sorted()
        let query = try? parser.parse("\(list.query.source) id:\(ids.map(String.init).joined(separator: ","))")
        let shown = query.flatMap { try? store.groups(matching: $0, sort: list.sort, limit: nil, offset: 0) } ?? []
        let shownIDs = Set(shown.map(\.id))
        return (list.ascending ? shown.reversed() : shown) + ids.filter { !shownIDs.contains($0) }.compactMap { try? store.group(String($0)) }
    }

    func openPanel() {
        let targets = actionTargets
        guard !targets.isEmpty else {
            state.message = Message(kind: .info, text: "no group selected")
            return
        }
        state.overlay = .statusPanel(StatusPanel(targets: targets, registry: store.registry, now: clock.now()))
    }

    /// Keys while the panel asks for a choice's parameter (a duration, a time, a count).
    func handlePanelInput(_ panel: StatusPanel, _ key: Key) throws {
        var panel = panel
        guard var pending = panel.pending else { return }
        switch key {
        case .escape: panel.pending = nil
        case .enter:
            let text = pending.line.text.trimmingCharacters(in: .whitespaces)
            guard let action = pending.choice.action(parameter: text, now: clock.now()) else {
                state.message = Message(kind: .error, text: pending.choice.problem(parameter: text, now: clock.now()))
                return
            }
            state.overlay = .none
            try apply(action, to: panel.targets)
            return
        default:
            _ = edit(&pending.line, key)
            panel.pending = pending
        }
        state.overlay = .statusPanel(panel)
    }

    /// A panel command: a choice (its refusal was said already, if any) or closing the panel.
    func handlePanel(_ panel: StatusPanel, _ command: CommandID) throws {
        var panel = panel
        if command == .back || command == .quit {
            state.overlay = .none
            return
        }
        if [.down, .up, .top, .bottom, .pageDown, .pageUp].contains(command) {
            // Every choice is reachable on a short terminal: the list scrolls, as the box says.
            panel.scroll = scrolled(panel.scroll, count: panel.options.count, command, closedBy: .back) ?? panel.scroll
            state.overlay = .statusPanel(panel)
            return
        }
        guard let choice = StatusPanel.Choice(command: command) else { return }
        if choice.question != nil {
            panel.pending = (choice, LineEditor(killBuffer: killBuffer))
            state.overlay = .statusPanel(panel)
            return
        }
        state.overlay = .none
        try apply(choice.action(parameter: nil, now: clock.now())!, to: panel.targets)
    }

    func apply(_ action: StatusAction) throws {
        try apply(action, to: actionTargets)
    }

    /// Asks the runner to apply the action through the store (all or nothing); the targets show its
    /// target state at once, and the result is reported in place (`reduce`). Marked groups the
    /// current filter hides are not acted on unseen: the user is asked first.
    func apply(_ action: StatusAction, to targets: [Group], confirmed: Bool = false) throws {
        guard !targets.isEmpty else { return }
        if !confirmed, let question = try hiddenMarksQuestion(targets, verb: ActionWording.text(action, now: clock.now())) {
            state.confirmation = Confirmation(question: question, action: .status(action, targets))
            return
        }
        dispatch(.setStatus(action, targets))
    }

    /// When an action is about to hit marked groups the current filter does not show, the question
    /// to ask first ("2 marked, 1 not shown: resolve all? y/n"); nil when every target is in view.
    func hiddenMarksQuestion(_ targets: [Group], verb: String) throws -> String? {
        guard state.detail == nil, !state.list.marked.isEmpty else { return nil }
        let ids = targets.map { String($0.id) }.joined(separator: ",")
        let shown = try store.countGroups(matching: try parser.parse("\(state.list.query.source) id:\(ids)"), upTo: nil)
        let hidden = targets.count - shown
        guard hidden > 0 else { return nil }
        return "\(targets.count) marked, \(hidden) not shown: \(verb) all? y/n"
    }

    /// `y` does what was asked about; any other key leaves everything as it was and is not run:
    /// a question left open would take a later `y` or `n` typed for something else as its answer.
    func handleConfirmation(_ confirmation: Confirmation, _ key: Key) throws {
        switch key {
        case .character("y"), .character("Y"):
            state.confirmation = nil
            switch confirmation.action {
            case let .status(action, targets): try apply(action, to: targets, confirmed: true)
            case let .priority(level, name, targets): try setPriority(level, named: name, of: targets, confirmed: true)
            case let .assign(assignee, targets): try assign(targets, to: assignee, confirmed: true)
            }
        case .resize:
            break
        default:
            state.confirmation = nil
            state.message = Message(kind: .info, text: "nothing changed; the marks are kept")
        }
    }

    /// `:priority high` on the targets (asks first about marks the filter hides, as status changes do).
    func setPriority(_ level: Int?, named name: String, of targets: [Group], confirmed: Bool = false) throws {
        guard !targets.isEmpty else { throw CommandLineError("no group selected") }
        if !confirmed, let question = try hiddenMarksQuestion(targets, verb: "set priority \(name) on") {
            state.confirmation = Confirmation(question: question, action: .priority(level, name, targets))
            return
        }
        dispatch(.setPriority(level, name: name, targets))
    }

    func refreshDetail() throws {
        if let detail = state.detail {
            state.detail?.details = try store.details(of: detail.details.group.id, occurrence: detail.occurrence)
            try readTrend(ofDetail: detail.details.group.id)
        }
    }
}
