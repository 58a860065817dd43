import Foundation
import TriageEngine

extension TriageApp {
    public enum Outcome: Equatable {
        case continueRunning
        case quit
    }

    /// Handles one key. Store errors become a message on the status line, never a crash.
    @discardableResult
    public func handle(_ key: Key) -> Outcome {
        if key == .control("c") { return .quit }
        if key == .resize { return .continueRunning }
        defer { markNotesSeen() }
        do {
            // Rows of a query whose results are not in yet are the wrong groups to act on.
            if state.list.searching, state.editor == nil { try finishSearch() }
            if case let .mouse(event) = key { try handleMouse(event); return .continueRunning }
            if state.editor != nil { try handleEditor(key); return .continueRunning }
            if state.commandLine != nil { return try handleCommandLine(key) }
            if state.teamPrompt != nil { try handleTeamPrompt(key); return .continueRunning }
            if let confirmation = state.confirmation { try handleConfirmation(confirmation, key); return .continueRunning }
            if state.detail?.searchLine != nil { handleDetailSearch(key); return .continueRunning }
            // A box's input line (the panel's parameter, the tracker menu's issue id) takes the keys.
            if case let .statusPanel(panel) = state.overlay, panel.pending != nil { try handlePanelInput(panel, key); return .continueRunning }
            if case let .trackerMenu(menu) = state.overlay, menu.typedID != nil { try handleTrackerInput(menu, key); return .continueRunning }
            let scope = self.scope
            if scope == .list || scope == .details { state.message = nil }
            guard let (command, disabled) = command(for: key) else {
                unbound(key, in: scope)
                return .continueRunning
            }
            if let disabled {
                state.message = Message(kind: .info, text: disabled)
                return .continueRunning
            }
            switch state.overlay {
            case let .help(scroll):
                state.overlay = scrolled(scroll, count: OverlayViews.helpLines(keymap: keymap, width: width).count, command, closedBy: .help).map { .help(scroll: $0) } ?? .none
            case let .messages(scroll):
                let count = OverlayViews.messageLines(state.messageLog, width: width).count
                state.overlay = scrolled(scroll, count: count, command, closedBy: .messages).map { .messages(scroll: $0) } ?? .none
            case let .noise(keys, scroll):
                state.overlay = scrolled(scroll, count: keys.count, command, closedBy: .noise).map { .noise(keys, scroll: $0) } ?? .none
            case let .statusPanel(panel): try handlePanel(panel, command)
            case let .typePicker(picker): try handleTypePicker(picker, command)
            case let .trackerMenu(menu): try handleTrackerMenu(menu, command)
            case .none: return try perform(command)
            }
            return .continueRunning
        } catch {
            state.message = Message(kind: .error, text: "\(error)")
            return .continueRunning
        }
    }

    /// A key bound to nothing where the user is: say what works here instead.
    private func unbound(_ key: Key, in scope: CommandScope) {
        if case let .paste(text) = key {
            if !text.isEmpty {
                state.message = Message(kind: .info, text: "a paste goes into an input line: open one (/, :) first; nothing of it ran")
            }
            return
        }
        switch scope {
        case .list, .details, .commandLine: state.message = Message(kind: .error, text: "\(key) does nothing here; \(keyNames(.help)) lists every key")
        case .statusPanel: state.message = Message(kind: .error, text: "\(key) is not a choice here; \(keyNames(.back)) closes the panel")
        case .trackerMenu: state.message = Message(kind: .info, text: StatusLine.hints(in: .trackerMenu, keymap: keymap).joined(separator: " · ") + " · \(keyNames(.back)) closes")
        case .overlay:
            if case .typePicker = state.overlay {
                state.message = Message(kind: .info, text: "\(keyNames(.mark)) toggles a type, \(keyNames(.open)) filters, \(keyNames(.back)) closes")
            } else {
                state.message = Message(kind: .info, text: OverlayViews.scrollHint(keymap))
            }
        }
    }

    /// The first key bound to a command, as help writes it ("?", "Esc").
    func keyNames(_ id: CommandID) -> String {
        keymap.keys(for: id).first.map { state.unicode ? $0.description : $0.plainDescription } ?? ":\(id.rawValue)"
    }

    /// Runs a command where the user is: the list or a group's details.
    func perform(_ command: CommandID) throws -> Outcome {
        // From the `:` line or the mouse, a disabled command says why, as its key does.
        if refusal(command) != nil { return .continueRunning }
        switch command {
        case .status, .ignore: openPanel()
        case .resolve: try apply(.resolve)
        case .reopen: try apply(.reopen)
        case .undo: dispatch(.undo)
        case .help: state.overlay = .help(scroll: 0)
        case .messages:
            // Opens on the newest: the one just cut is what the user came for.
            let count = OverlayViews.messageLines(state.messageLog, width: width).count
            state.overlay = .messages(scroll: max(0, count - OverlayViews.bodyRoom(height: height)))
        case .nextMatch: stepSearch(by: 1)
        case .previousMatch: stepSearch(by: -1)
        case .noise: state.overlay = .noise(try store.noiseHeld(limit: 1000), scroll: 0)
        case .commandLine: state.commandLine = LineEditor(killBuffer: killBuffer)
        case .trackers: try openTrackerMenu()
        case .assign: try openAssignPrompt()
        case .note: try openNotePrompt()
        case .copy: copySelection()
        case .repaint: state.effects.append(.repaint)
        case .viewPayload: try pagePayload()
        case .acknowledge:
            state.message = Message(kind: .info, text: "🔔 \(state.alerts) acknowledged")
            state.alerts = 0
        case .mouse:
            state.mouseEnabled.toggle()
            state.effects.append(.mouse(state.mouseEnabled))
            state.message = Message(kind: .info, text: state.mouseEnabled ? "mouse on" : "mouse off: the terminal selects text")
        case .follow:
            guard let following = state.following else { return .continueRunning }
            state.following = !following
            // Paused, the list stops changing: its age counts from here.
            state.pausedAt = following ? clock.now() : nil
        default:
            return state.detail != nil ? try handleDetail(command) : try handleList(command)
        }
        return .continueRunning
    }

    private func handleList(_ command: CommandID) throws -> Outcome {
        let list = state.list
        switch command {
        case .down: try move(to: list.selected + 1)
        case .up: try move(to: list.selected - 1)
        case .top: try move(to: 0)
        case .bottom: try moveToBottom()
        case .pageDown:
            state.list.offset += pageHeight
            try move(to: list.selected + pageHeight)
        case .pageUp:
            state.list.offset = max(0, list.offset - pageHeight)
            try move(to: list.selected - pageHeight)
        case .open:
            guard let group = list.selectedGroup else { return .continueRunning }
            try openDetails(of: group.id)
        case .back:
            if list.query != defaultQuery {
                state.list.query = defaultQuery
                state.list.selected = 0
                try reload()
                // A reset filter must not pass unnoticed: say what it was and how to get it back.
                let was = list.query.source.isEmpty ? "(every group)" : list.query.source
                let back = queryHistory.contains(list.query.source) ? " (/ then ↑ brings it back)" : ""
                state.message = Message(kind: .info, text: "query reset to \(defaultQuery.source); it was \(was)\(back)")
            } else {
                state.message = Message(kind: .info, text: "q quits")
            }
        case .quit: return .quit
        case .query:
            // A trailing space, so what is typed next is a term of its own, not glued onto the last one.
            let text = list.query.source.isEmpty ? "" : list.query.source + " "
            state.editor = QueryEditor(line: LineEditor(text, killBuffer: killBuffer), error: nil, previous: list.query, historyIndex: nil)
        case .types: try openTypePicker()
        case .mark:
            guard let group = list.selectedGroup else { return .continueRunning }
            if state.list.marked.remove(group.id) == nil { state.list.marked.insert(group.id) }
            try move(to: list.selected + 1)
        case .cycleSort:
            let all = GroupSort.allCases
            try sort(by: all[(all.firstIndex(of: list.sort)! + 1) % all.count], ascending: list.ascending)
        case .reverseSort:
            try sort(by: list.sort, ascending: !list.ascending)
        default: break
        }
        return .continueRunning
    }

    private func handleDetail(_ command: CommandID) throws -> Outcome {
        guard let detail = state.detail else { return .continueRunning }
        let scroll = detail.scroll
        switch command {
        case .down: state.detail?.scroll = scroll + 1
        case .up: state.detail?.scroll = max(0, scroll - 1)
        case .top: state.detail?.scroll = 0
        case .bottom: state.detail?.scroll = Int.max / 2
        case .pageDown: state.detail?.scroll = scroll + pageHeight
        case .pageUp: state.detail?.scroll = max(0, scroll - pageHeight)
        case .back, .open, .quit: state.detail = nil
        case .olderOccurrence, .newerOccurrence:
            let step = command == .olderOccurrence ? 1 : -1
            let target = detail.occurrence + step
            guard target >= 0, target < detail.details.occurrenceCount else {
                state.message = Message(kind: .info, text: step > 0 ? "this is the oldest occurrence" : "this is the newest occurrence")
                return .continueRunning
            }
            state.detail?.details = try store.details(of: detail.details.group.id, occurrence: target)
        case .searchDetails:
            state.detail?.searchLine = LineEditor(killBuffer: killBuffer)
        default: break
        }
        if let detail = state.detail {
            let lineCount = detailLines(detail).count
            state.detail?.scroll = min(detail.scroll, DetailView.maxScroll(lineCount: lineCount, height: height))
        }
        return .continueRunning
    }

    /// Re-sorts, keeping the cursor on the group it was on.
    func sort(by sort: GroupSort, ascending: Bool = false) throws {
        let current = state.list.selectedGroup
        state.list.sort = sort
        state.list.ascending = ascending
        state.list.selected = try current.flatMap { try position(of: $0.id) } ?? 0
        try reload()
        state.message = Message(kind: .info, text: "sorted by \(sort.rawValue)\(ascending ? ", smallest first" : "")")
    }

    /// `v`: the shown occurrence's payload (the newest, from the list), pretty-printed and made inert
    /// line by line, for the runner to hand to `$PAGER`.
    private func pagePayload() throws {
        let details: GroupDetails
        if let detail = state.detail {
            details = detail.details
        } else if let group = state.list.selectedGroup {
            details = try store.details(of: group.id)
        } else {
            state.message = Message(kind: .info, text: "no group selected")
            return
        }
        guard let bytes = details.payload, let document = try? JSONDocument(bytes: bytes, maxDepth: 1024) else {
            state.message = Message(kind: .info, text: "\(details.group.shortID): no payload is kept for this occurrence")
            return
        }
        let text = JSONPretty.lines(document.root).map(TerminalText.sanitize).joined(separator: "\n") + "\n"
        state.effects.append(.page(text))
    }

    /// Puts the selected group's short id and title on the clipboard (through the terminal).
    private func copySelection() {
        guard let group = state.detail?.details.group ?? state.list.selectedGroup else {
            state.message = Message(kind: .info, text: "no group selected")
            return
        }
        let text = "\(group.shortID) \(TerminalText.sanitize(group.title))"
        state.effects.append(.copy(text))
        state.message = Message(kind: .info, text: "copied: \(text)")
    }
}
