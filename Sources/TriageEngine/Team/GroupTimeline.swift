/// One line of a group's history as people read it.
public enum TimelineEntry: Sendable, Equatable {
    case status(StatusHistoryEntry)
    case assignment(AssignmentChange)
    case priority(PriorityChange)
    case note(GroupNote)

    public var at: Double {
        switch self {
        case let .status(entry): return entry.at
        case let .assignment(change): return change.at
        case let .priority(change): return change.at
        case let .note(note): return note.at
        }
    }
}

extension GroupDetails {
    /// State changes, assignments, priorities and notes in the order they happened (at the same
    /// instant: in that order, each in the order recorded).
    public var timeline: [TimelineEntry] {
        let entries = history.map(TimelineEntry.status) + assignments.map(TimelineEntry.assignment) + priorities.map(TimelineEntry.priority)
            + notes.map(TimelineEntry.note)
        return entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }
}
