import GRDB

/// A group's priority set by hand: a locked level (25, 50, 75) that newer occurrences leave alone,
/// or nil for automatic (occurrences set it).
public enum PriorityField: RecordedField {
    public typealias Value = Int
    public static let table = "group_priorities"
    public static let fromColumn = "from_priority"
    public static let toColumn = "to_priority"
}

/// A group's priority locked by hand or handed back to its occurrences, by whom and when.
public typealias PriorityChange = FieldChange<PriorityField>

extension FieldChange where Field == PriorityField {
    /// "high", "medium", "low", or "auto": as `priority` takes it.
    public static func name(_ priority: Int?) -> String { priority.map { PriorityBand($0).rawValue } ?? "auto" }

    /// "priority medium → high", as history shows it.
    public var summary: String { "priority \(Self.name(from)) → \(Self.name(to))" }

    /// The locked level a group's row holds now: nil when occurrences set it.
    public static func current(priority: Int, locked: Bool) -> Int? { locked ? priority : nil }
}
