/// Sentry's priority scale, and the one owner of its numbers: what payloads and types may carry,
/// the names people type, the tag lists show and the bands queries match.
public enum Priority {
    public static let low = 25
    public static let medium = 50
    public static let high = 75

    /// The values `initial_issue_priority` and a type's `default_priority` may take (Sentry accepts 0 too).
    public static let allowed: Set<Int> = [0, low, medium, high]

    /// How the allowed values read in an error message.
    public static let allowedDescription = "25 low, 50 medium, 75 high, or 0"

    /// The list's short tag.
    public static func tag(_ priority: Int) -> String {
        switch PriorityBand(priority) {
        case .high: return "HI"
        case .medium: return "MED"
        case .low: return "LOW"
        }
    }
}

/// What a person sets by hand: a level (then locked against newer occurrences), or automatic again.
public enum ManualPriority: Sendable, Equatable {
    case level(Int)
    case automatic

    /// `high`, `medium`, `low` or `auto`.
    public init?(name: String) {
        switch name {
        case "high": self = .level(Priority.high)
        case "medium": self = .level(Priority.medium)
        case "low": self = .level(Priority.low)
        case "auto": self = .automatic
        default: return nil
        }
    }

    public static let names = ["high", "medium", "low", "auto"]

    /// The priority to store; nil unlocks it.
    public var value: Int? {
        if case let .level(value) = self { return value }
        return nil
    }
}

/// A query's `priority:` band. Bands keep values between the named ones meaningful.
public enum PriorityBand: String, Sendable, Equatable, CaseIterable {
    case low, medium, high

    init(_ priority: Int) {
        self = priority >= Priority.high ? .high : priority >= Priority.medium ? .medium : .low
    }

    var range: (lower: Int, upper: Int) {
        switch self {
        case .low: return (Int.min, Priority.medium - 1)
        case .medium: return (Priority.medium, Priority.high - 1)
        case .high: return (Priority.high, Int.max)
        }
    }
}
