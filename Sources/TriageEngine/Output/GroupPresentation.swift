/// Short forms the list views use (CLI table and TUI alike).
public enum GroupPresentation {
    /// `HI`, `MED`, `LOW` by the same bands as the `priority:` query.
    public static func priorityTag(_ priority: Int) -> String {
        Priority.tag(priority)
    }

    public static func levelTag(_ level: Level) -> String {
        switch level {
        case .debug: return "DBG"
        case .info: return "INF"
        case .warning: return "WRN"
        case .error: return "ERR"
        case .fatal: return "FTL"
        }
    }

    /// The `ST` column: N new, O ongoing, R regressed, E escalating, ✓ resolved, I ignored.
    public static func statusLetter(_ state: GroupState) -> String {
        switch (state.status, state.substatus) {
        case (.resolved, _): return "✓"
        case (.ignored, _): return "I"
        case (.unresolved, .new?): return "N"
        case (.unresolved, .regressed?): return "R"
        case (.unresolved, .escalating?): return "E"
        case (.unresolved, _): return "O"
        }
    }

    /// 1,204-style counts.
    public static func count(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0, character != "-" { result.append(",") }
            result.append(character)
        }
        return result
    }
}
