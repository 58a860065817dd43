/// An issue-tracker plugin: links a group to an issue in an external tracker (spec §7).
///
/// A plugin is a type; each `[plugins.NAME]` table in the config makes one configured instance, so a
/// team can have two GitHub repositories, say, as two trackers. Built-in plugins are listed in
/// `TrackerCatalog`, the one place plugins are registered.
public protocol IssueTrackerPlugin: Sendable {
    static var identity: PluginIdentity { get }
    static var capabilities: TrackerCapabilities { get }
    /// Reads the plugin's settings, throwing `ConfigError` (from `settings.error`); every key it does
    /// not read is reported as unknown afterwards.
    init(settings: PluginSettings) throws

    /// Opens a new external issue for the group.
    func create(_ ticket: TrackerTicket) throws(TrackerError) -> ExternalIssue
    /// Checks that an existing external issue exists and describes it.
    func link(_ ticket: TrackerTicket, externalID: String) throws(TrackerError) -> ExternalIssue
    /// Tells the tracker a link is removed; the external issue itself is left as it is.
    func unlink(_ ticket: TrackerTicket, link: GroupLink) throws(TrackerError)
    /// The link as people refer to it in that tracker (`owner/repo#12`, `P1-3F.md`).
    func render(_ link: GroupLink) -> String
}

extension IssueTrackerPlugin {
    public func create(_ ticket: TrackerTicket) throws(TrackerError) -> ExternalIssue { throw .unsupported("create") }
    public func link(_ ticket: TrackerTicket, externalID: String) throws(TrackerError) -> ExternalIssue { throw .unsupported("link") }
    public func unlink(_ ticket: TrackerTicket, link: GroupLink) throws(TrackerError) {}
    public func render(_ link: GroupLink) -> String { link.externalID }
}

/// Who a plugin is, for `triage trackers` and the TUI's tracker menu.
public struct PluginIdentity: Sendable, Equatable {
    public let slug: String
    public let title: String
    public let version: String
    public let author: String
    public let description: String
}

public struct TrackerCapabilities: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let create = TrackerCapabilities(rawValue: 1)
    public static let link = TrackerCapabilities(rawValue: 2)
    public static let unlink = TrackerCapabilities(rawValue: 4)
    public static let all: TrackerCapabilities = [.create, .link, .unlink]

    public var names: [String] {
        [(TrackerCapabilities.create, "create"), (.link, "link"), (.unlink, "unlink")].filter { contains($0.0) }.map(\.1)
    }
}

/// An issue in an external tracker, as its plugin describes it.
public struct ExternalIssue: Sendable, Equatable {
    public let id: String
    public let url: String?
    public let title: String?

    public init(id: String, url: String?, title: String?) {
        self.id = id
        self.url = url
        self.title = title
    }
}

/// Why a tracker could not do what was asked, in one sentence for the user.
public enum TrackerError: Error, Equatable, CustomStringConvertible {
    case unsupported(String)
    case notFound(String)
    case badInput(String)
    case failed(String)
    /// The tracker did not answer in time: it may or may not have done what was asked.
    case outcomeUnknown(String)

    public var description: String {
        switch self {
        case let .unsupported(action): return "this tracker cannot \(action)"
        case let .notFound(what): return "not found: \(what)"
        case let .badInput(reason), let .failed(reason), let .outcomeUnknown(reason): return reason
        }
    }

    /// A failure of the program or the HTTP exchange that carried the request.
    static func carrying(_ description: String, timedOut: Bool) -> TrackerError {
        timedOut ? .outcomeUnknown(description) : .failed(description)
    }
}
