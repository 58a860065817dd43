import Foundation
import TriageEngine

extension TriageApp {
    /// A scrolling overlay's new first line for `command`, or nil when it closes it (q, Esc or its
    /// own key). Other commands say what works here and leave it open, so no key is lost by accident.
    func scrolled(_ scroll: Int, count: Int, _ command: CommandID, closedBy own: CommandID) -> Int? {
        let room = OverlayViews.bodyRoom(height: height)
        let last = max(0, count - room)
        let scroll = min(scroll, last)
        switch command {
        case .down: return min(last, scroll + 1)
        case .up: return max(0, scroll - 1)
        case .pageDown: return min(last, scroll + room)
        case .pageUp: return max(0, scroll - room)
        case .top: return 0
        case .bottom: return last
        case .back, .quit: return nil
        case own: return nil
        default:
            state.message = Message(kind: .info, text: OverlayViews.scrollHint(keymap))
            return scroll
        }
    }

    func openTypePicker() throws {
        let source = state.list.query.source
        let withoutTypes = try parser.parse(TypePicker.query(source, filteringBy: []))
        let current = TypePicker.slugs(in: source)
        let entries = try store.typeCounts(matching: withoutTypes).map { row in
            let slug = store.registry.type(id: row.typeID)?.slug ?? String(row.typeID)
            return TypePicker.Entry(slug: slug, count: row.count, chosen: current.contains(slug))
        }
        guard !entries.isEmpty else {
            state.message = Message(kind: .info, text: "no groups of any type match the rest of the query")
            return
        }
        state.overlay = .typePicker(TypePicker(entries: entries))
    }

    func handleTypePicker(_ picker: TypePicker, _ command: CommandID) throws {
        var picker = picker
        switch command {
        case .down: picker.cursor = min(picker.entries.count - 1, picker.cursor + 1)
        case .up: picker.cursor = max(0, picker.cursor - 1)
        case .top: picker.cursor = 0
        case .bottom: picker.cursor = picker.entries.count - 1
        case .pageDown: picker.cursor = min(picker.entries.count - 1, picker.cursor + OverlayViews.bodyRoom(height: height))
        case .pageUp: picker.cursor = max(0, picker.cursor - OverlayViews.bodyRoom(height: height))
        case .mark: picker.entries[picker.cursor].chosen.toggle()
        case .open:
            state.overlay = .none
            try setQuery(TypePicker.query(state.list.query.source, filteringBy: picker.selection))
            return
        case .back, .quit, .types:
            state.overlay = .none
            return
        default:
            state.message = Message(kind: .info, text: "\(keyNames(.mark)) toggles a type, \(keyNames(.open)) filters, \(keyNames(.back)) closes")
        }
        state.overlay = .typePicker(picker)
    }

    /// Runs `text` as the list's query (recorded in the `/` history), selection at the top.
    func setQuery(_ text: String) throws {
        state.list.query = try parser.parse(text)
        state.list.selected = 0
        remember(text)
        try reload()
    }

    /// Adds a query to the `/` history (not twice in a row).
    func remember(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, queryHistory.last != text { queryHistory.append(text) }
    }
}
