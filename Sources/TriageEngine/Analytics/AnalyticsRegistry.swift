/// The analytics event types triage records, registered in one place.
public struct AnalyticsRegistry: Sendable {
    private var types: [String: AnalyticsEventType] = [:]

    public init() {}

    public mutating func register(_ type: AnalyticsEventType) throws(AnalyticsError) {
        guard types[type.name] == nil else { throw .duplicateEvent(type.name) }
        types[type.name] = type
    }

    public func type(named name: String) -> AnalyticsEventType? { types[name] }

    public var names: [String] { types.keys.sorted() }

    /// Checks an event against its type: known, every required attribute present, nothing unknown.
    public func validate(_ name: String, _ attributes: [String: AnalyticsValue?]) throws(AnalyticsError) {
        guard let type = types[name] else { throw .unknownEvent(name) }
        if let missing = type.attributes.first(where: { !$0.optional && (attributes[$0.name] ?? nil) == nil }) {
            throw .missingAttribute(event: name, attribute: missing.name)
        }
        let known = Set(type.attributes.map(\.name))
        if let unknown = attributes.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownAttribute(event: name, attribute: unknown)
        }
    }

    /// Who acted and on what, common to the issue events.
    private static let issueAttributes: [AnalyticsEventType.Attribute] = [
        .optional("user_id"), .required("default_user_id"), .required("organization_id"), .required("project_id"), .required("group_id"),
        .required("issue_type"),
    ]

    public static let builtIn: AnalyticsRegistry = {
        var registry = AnalyticsRegistry()
        let types: [AnalyticsEventType] = [
            AnalyticsEventType("issue_tracker.used", [
                .optional("user_id"), .required("default_user_id"), .required("organization_id"), .required("project_id"),
                .required("issue_tracker"), .required("group_id"), .optional("action"),
            ]),
            AnalyticsEventType("issue.resolved", issueAttributes),
            AnalyticsEventType("issue.ignored", issueAttributes + [.required("ignore_mode")]),
            AnalyticsEventType("issue.unresolved", issueAttributes),
            AnalyticsEventType("ingest.file_failed", [.required("file"), .required("reason"), .required("errors"), .optional("bytes")]),
        ]
        for type in types { try! registry.register(type) }
        return registry
    }()
}
