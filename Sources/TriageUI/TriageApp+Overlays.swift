import TriageEngine

extension TriageApp {
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
        if !text.isEmpty, queryHistory.last != text { queryHistory.append(text) }
        try reload()
    }
}
