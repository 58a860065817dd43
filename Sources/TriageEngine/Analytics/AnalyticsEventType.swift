/// A registered analytics event type: a name like `issue_tracker.used` and its attributes, each
/// required unless marked optional (spec §7).
public struct AnalyticsEventType: Sendable, Equatable {
    public struct Attribute: Sendable, Equatable {
        public let name: String
        public let optional: Bool

        public static func required(_ name: String) -> Attribute { Attribute(name: name, optional: false) }
        public static func optional(_ name: String) -> Attribute { Attribute(name: name, optional: true) }
    }

    public let name: String
    public let attributes: [Attribute]

    public init(_ name: String, _ attributes: [Attribute]) {
        self.name = name
        self.attributes = attributes
    }
}

/// An attribute's value: analytics keep to strings and integers.
public enum AnalyticsValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int64)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
}

/// Why an event cannot be recorded. Each is a programming error: the call site and the registry
/// disagree, and a test that exercises the call site fails.
public enum AnalyticsError: Error, Equatable, CustomStringConvertible {
    case unknownEvent(String)
    case missingAttribute(event: String, attribute: String)
    case unknownAttribute(event: String, attribute: String)
    case duplicateEvent(String)

    public var description: String {
        switch self {
        case let .unknownEvent(name): return "no analytics event type '\(name)' is registered"
        case let .missingAttribute(event, attribute): return "\(event): the required attribute '\(attribute)' is missing"
        case let .unknownAttribute(event, attribute): return "\(event): '\(attribute)' is not one of its attributes"
        case let .duplicateEvent(name): return "the analytics event type '\(name)' is registered twice"
        }
    }
}
