import Foundation

/// A tracker behind an HTTP endpoint: POSTs the ticket JSON (the same document the command tracker
/// gets) and reads `{"id", "url", "title"}` from a 2xx JSON answer.
///
/// ```toml
/// [plugins.desk]
/// kind = "webhook"
/// url = "https://tickets.example.com/api/triage"
/// timeout = 10
/// token_env = "DESK_TOKEN"   # optional: sent as "Authorization: Bearer $DESK_TOKEN"
/// ```
public struct WebhookTracker: IssueTrackerPlugin {
    public static let identity = PluginIdentity(
        slug: "webhook", title: "Webhook", version: "1.0", author: "triage",
        description: "POSTs the group as JSON to a URL; reads the external id and URL from the JSON answer.")
    public static let capabilities: TrackerCapabilities = .all

    let name: String
    let url: String
    let timeout: Double
    let token: BearerToken

    public init(settings: PluginSettings) throws {
        name = settings.name
        url = try settings.url("url")
        timeout = try settings.timeout()
        token = BearerToken(variable: try settings.string("token_env"))
    }

    public func create(_ ticket: TrackerTicket) throws(TrackerError) -> ExternalIssue {
        try ExternalIssue.parse(try post(ticket.json(action: "create", tracker: name, externalID: nil)), from: url)
    }

    public func link(_ ticket: TrackerTicket, externalID: String) throws(TrackerError) -> ExternalIssue {
        try ExternalIssue.parse(try post(ticket.json(action: "link", tracker: name, externalID: externalID)), from: url)
    }

    public func unlink(_ ticket: TrackerTicket, link: GroupLink) throws(TrackerError) {
        _ = try post(ticket.json(action: "unlink", tracker: name, externalID: link.externalID))
    }

    public func render(_ link: GroupLink) -> String { link.url.map { "\(link.externalID) \($0)" } ?? link.externalID }

    private func post(_ body: [UInt8]) throws(TrackerError) -> [UInt8] {
        let response: HTTPExchange.Response
        do { response = try HTTPExchange.send("POST", url, headers: token.headers, body: body, timeout: timeout) } catch {
            throw .carrying(error.description, timedOut: error.timedOut)
        }
        guard (200..<300).contains(response.status) else { throw .failed(HTTPAnswer.describe(response, from: url)) }
        return response.body
    }
}

/// A secret named by an environment variable, so it never sits in the config file.
struct BearerToken: Sendable {
    let variable: String?

    var value: String? {
        variable.flatMap { ProcessInfo.processInfo.environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
    }

    var headers: [String: String] { value.map { ["Authorization": "Bearer \($0)"] } ?? [:] }
}

enum HTTPAnswer {
    /// `URL answered 422: the message` (GitHub and most JSON APIs put it in "message").
    static func describe(_ response: HTTPExchange.Response, from url: String) -> String {
        let message = (try? JSONDocument(bytes: response.body, maxDepth: 16))?.root["message"]?.string
        return "\(url) answered \(response.status)\(message.map { ": \(TerminalText.sanitize(String($0.prefix(200))))" } ?? "")"
    }
}
