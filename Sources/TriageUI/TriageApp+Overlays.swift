import Foundation
import TriageEngine

extension TriageApp {
    /// A scrolling overlay's new first line for `key`, or nil when the key closes it (q, Esc or its
    /// own key). Other keys say what works here and leave it open, so no key is lost by accident.
    func scrolled(_ scroll: Int, count: Int, _ key: Key, closedBy own: CommandID) -> Int? {
        let room = OverlayViews.bodyRoom(height: height)
        let last = max(0, count - room)
        let scroll = min(scroll, last)
        switch keymap.command(for: key) {
        case .down?: return min(last, scroll + 1)
        case .up?: return max(0, scroll - 1)
        case .pageDown?: return min(last, scroll + room)
        case .pageUp?: return max(0, scroll - room)
        case .top?: return 0
        case .bottom?: return last
        case .back?, .quit?: return nil
        case let command? where command == own: return nil
        default:
            state.message = Message(kind: .info, text: "j k PgUp PgDn g G scroll · q or Esc closes")
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

    func handleTypePicker(_ picker: TypePicker, _ key: Key) throws {
        var picker = picker
        switch keymap.command(for: key) {
        case .down?: picker.cursor = min(picker.entries.count - 1, picker.cursor + 1)
        case .up?: picker.cursor = max(0, picker.cursor - 1)
        case .top?: picker.cursor = 0
        case .bottom?: picker.cursor = picker.entries.count - 1
        case .pageDown?: picker.cursor = min(picker.entries.count - 1, picker.cursor + OverlayViews.bodyRoom(height: height))
        case .pageUp?: picker.cursor = max(0, picker.cursor - OverlayViews.bodyRoom(height: height))
        case .mark?: picker.entries[picker.cursor].chosen.toggle()
        case .open?:
            state.overlay = .none
            try setQuery(TypePicker.query(state.list.query.source, filteringBy: picker.selection))
            return
        case .back?, .quit?, .types?:
            state.overlay = .none
            return
        default:
            state.message = Message(kind: .info, text: "space toggles a type, ⏎ filters, Esc closes")
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
