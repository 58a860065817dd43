extension TriageApp {
    /// Click selects a row (double-click opens it), the wheel scrolls; overlays and editors ignore the mouse.
    func handleMouse(_ event: MouseEvent) throws {
        guard state.mouseEnabled, state.editor == nil, state.commandLine == nil, case .none = state.overlay else { return }
        let wheelStep = 3
        if state.detail != nil {
            switch event.kind {
            case .wheelDown: for _ in 0..<wheelStep { _ = try perform(.down) }
            case .wheelUp: for _ in 0..<wheelStep { _ = try perform(.up) }
            case .click, .doubleClick: break
            }
            return
        }
        switch event.kind {
        case .wheelDown: try move(to: state.list.selected + wheelStep)
        case .wheelUp: try move(to: state.list.selected - wheelStep)
        case .click, .doubleClick:
            // Rows start under the header and the column titles.
            let index = state.list.offset + event.y - 2
            guard event.y >= 2, event.y < height - 1, index < state.list.total else { return }
            try move(to: index)
            if event.kind == .doubleClick { _ = try perform(.open) }
        }
    }
}
