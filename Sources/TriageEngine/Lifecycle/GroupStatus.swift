/// Group status as Sentry numbers it. Shown as "ignored" (alias "archived", "muted").
public enum GroupStatus: Int, Sendable, CaseIterable, Codable {
    case unresolved = 0
    case resolved = 1
    case ignored = 2

    public var name: String {
        switch self {
        case .unresolved: return "unresolved"
        case .resolved: return "resolved"
        case .ignored: return "ignored"
        }
    }
}

/// Group substatus as Sentry numbers it; which ones pair with which status is `isAllowed(with:)`.
public enum GroupSubstatus: Int, Sendable, CaseIterable, Codable {
    case untilEscalating = 1
    case escalating = 2
    case ongoing = 3
    case untilConditionMet = 4
    case forever = 5
    case regressed = 6
    case new = 7

    public var name: String {
        switch self {
        case .untilEscalating: return "archived_until_escalating"
        case .escalating: return "escalating"
        case .ongoing: return "ongoing"
        case .untilConditionMet: return "archived_until_condition_met"
        case .forever: return "archived_forever"
        case .regressed: return "regressed"
        case .new: return "new"
        }
    }
}

/// A status with its substatus, always one of the pairs the spec allows.
public struct GroupState: Sendable, Hashable, CustomStringConvertible {
    public let status: GroupStatus
    public let substatus: GroupSubstatus?

    /// Returns nil for a pair the spec does not allow (RESOLVED with a substatus, IGNORED/NEW, ...).
    public init?(status: GroupStatus, substatus: GroupSubstatus?) {
        guard Self.isAllowed(status, substatus) else { return nil }
        self.status = status
        self.substatus = substatus
    }

    public static let new = GroupState(status: .unresolved, substatus: .new)!
    public static let ongoing = GroupState(status: .unresolved, substatus: .ongoing)!
    public static let regressed = GroupState(status: .unresolved, substatus: .regressed)!
    public static let escalating = GroupState(status: .unresolved, substatus: .escalating)!
    public static let resolved = GroupState(status: .resolved, substatus: nil)!

    public static func isAllowed(_ status: GroupStatus, _ substatus: GroupSubstatus?) -> Bool {
        switch status {
        case .resolved: return substatus == nil
        case .unresolved: return [.new, .ongoing, .escalating, .regressed].contains(substatus)
        case .ignored: return [.untilEscalating, .untilConditionMet, .forever].contains(substatus)
        }
    }

    public var description: String {
        substatus.map { "\(status.name)/\($0.name)" } ?? status.name
    }
}
