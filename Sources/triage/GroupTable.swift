import TriageEngine

/// `list`'s human output: aligned columns that fit the terminal, the title taking what is left.
struct GroupTable {
    let registry: GroupTypeRegistry
    let now: Double
    let color: Bool
    let width: Int

    func render(_ groups: [Group], total: Int, query: String) -> String {
        if groups.isEmpty { return "no groups match \(query.isEmpty ? "(every group)" : TerminalText.sanitize(query))\n" }
        let idWidth = max(2, groups.map { $0.shortID.count }.max() ?? 2)
        let typeWidth = 18
        let fixed = idWidth + 1 + 4 + typeWidth + 1 + 8 + 10 + 3 + 2
        let titleWidth = max(12, width - fixed - 1)
        var lines = [header(idWidth: idWidth, typeWidth: typeWidth, titleWidth: titleWidth)]
        for group in groups {
            let slug = registry.type(id: group.typeID)?.slug ?? String(group.typeID)
            let level = GroupPresentation.levelTag(group.level)
            lines.append([
                TerminalText.pad(group.shortID, columns: idWidth),
                paint(level, code: levelColor(group.level)),
                TerminalText.pad(slug, columns: typeWidth),
                TerminalText.pad(group.title, columns: titleWidth),
                leftPad(GroupPresentation.count(group.timesSeen), 8),
                leftPad(ISOTime.relative(group.lastSeen, now: now), 10),
                " " + GroupPresentation.statusLetter(group.state),
            ].joined(separator: " "))
        }
        lines.append("\(GroupPresentation.count(total)) group\(total == 1 ? "" : "s")")
        return lines.joined(separator: "\n") + "\n"
    }

    private func header(idWidth: Int, typeWidth: Int, titleWidth: Int) -> String {
        let text = [TerminalText.pad("ID", columns: idWidth), "LVL", TerminalText.pad("TYPE", columns: typeWidth),
                    TerminalText.pad("TITLE", columns: titleWidth), leftPad("EVENTS", 8), leftPad("LAST SEEN", 10), "ST"]
            .joined(separator: " ")
        return color ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    private func leftPad(_ text: String, _ columns: Int) -> String {
        String(repeating: " ", count: max(0, columns - TerminalText.width(text))) + text
    }

    private func levelColor(_ level: Level) -> String {
        switch level {
        case .fatal: return "1;35"
        case .error: return "31"
        case .warning: return "33"
        case .info: return "36"
        case .debug: return "2"
        }
    }

    private func paint(_ text: String, code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
