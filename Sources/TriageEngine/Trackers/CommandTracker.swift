/// A tracker that is a program: it gets the ticket as JSON on standard input and answers with
/// `{"id": "...", "url": "...", "title": "..."}` on standard output (`url` and `title` optional).
///
/// ```toml
/// [plugins.jira]
/// kind = "command"
/// argv = ["/usr/local/bin/jira-ticket", "--project", "OPS"]
/// timeout = 20
/// ```
/// The program runs without a shell; `action` in the input is `create`, `link` (with
/// `external_id`: answer with the issue it names, or exit non-zero) or `unlink`.
public struct CommandTracker: IssueTrackerPlugin {
    public static let identity = PluginIdentity(
        slug: "command", title: "Command", version: "1.0", author: "triage",
        description: "Runs a program with the group as JSON on stdin; reads the external id and URL from its stdout.")
    public static let capabilities: TrackerCapabilities = .all

    let name: String
    let argv: [String]
    let timeout: Double

    public init(settings: PluginSettings) throws {
        name = settings.name
        argv = try settings.argv("argv")
        timeout = try settings.timeout()
    }

    public func create(_ ticket: TrackerTicket) throws(TrackerError) -> ExternalIssue {
        try ExternalIssue.parse(try run(ticket.json(action: "create", tracker: name, externalID: nil)), from: argv[0])
    }

    public func link(_ ticket: TrackerTicket, externalID: String) throws(TrackerError) -> ExternalIssue {
        try ExternalIssue.parse(try run(ticket.json(action: "link", tracker: name, externalID: externalID)), from: argv[0])
    }

    public func unlink(_ ticket: TrackerTicket, link: GroupLink) throws(TrackerError) {
        _ = try run(ticket.json(action: "unlink", tracker: name, externalID: link.externalID))
    }

    public func render(_ link: GroupLink) -> String { link.url.map { "\(link.externalID) \($0)" } ?? link.externalID }

    private func run(_ input: [UInt8]) throws(TrackerError) -> [UInt8] {
        do { return try ChildProcess.run(argv, input: input + [0x0A], timeout: timeout).stdout } catch {
            throw .carrying(error.description, timedOut: error.timedOut)
        }
    }
}

extension ExternalIssue {
    /// `{"id": "..." or number, "url": "...", "title": "..."}` from a tracker's answer.
    static func parse(_ answer: [UInt8], from source: String) throws(TrackerError) -> ExternalIssue {
        guard let document = try? JSONDocument(bytes: answer, maxDepth: 16), document.root.isObject else {
            throw .failed("\(source) did not answer with a JSON object like {\"id\": \"OPS-12\", \"url\": \"https://...\"}")
        }
        let root = document.root
        let id = root["id"]?.string ?? root["id"]?.int64.map(String.init)
        guard let id, !id.isEmpty, id.count <= 200 else { throw .failed("\(source) answered without an \"id\"") }
        return ExternalIssue(id: TerminalText.sanitize(id), url: root["url"]?.string.flatMap(Self.webURL),
                             title: root["title"]?.string.map(TerminalText.sanitize))
    }

    /// Only http(s) URLs are kept: a link is something an engineer will open.
    static func webURL(_ text: String) -> String? {
        (text.hasPrefix("https://") || text.hasPrefix("http://")) && text.count <= 2000 ? TerminalText.sanitize(text) : nil
    }
}
