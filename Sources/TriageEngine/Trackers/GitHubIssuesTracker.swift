/// GitHub issues through the REST API (`POST /repos/{owner}/{repo}/issues`, `GET .../issues/{number}`),
/// against any server that speaks it: github.com, GitHub Enterprise (`base_url =
/// "https://ghe.example.com/api/v3"`), Gitea's compatible API.
///
/// ```toml
/// [plugins.github]
/// repo = "acme/backend"
/// labels = ["triage", "oncall"]    # optional
/// token_env = "GITHUB_TOKEN"       # the default
/// ```
/// Unlinking leaves the GitHub issue open: closing it is a decision for whoever works on it.
public struct GitHubIssuesTracker: IssueTrackerPlugin {
    public static let identity = PluginIdentity(
        slug: "github", title: "GitHub issues", version: "1.0", author: "triage",
        description: "Creates and links issues through the GitHub REST API (or a compatible server).")
    public static let capabilities: TrackerCapabilities = .all

    let baseURL: String
    let repo: String
    let labels: [String]
    let timeout: Double
    let token: BearerToken

    public init(settings: PluginSettings) throws {
        baseURL = try settings.url("base_url", default: "https://api.github.com")
        repo = try settings.requiredString("repo")
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) } }) else {
            throw settings.error("repo", "must be OWNER/NAME, like \"acme/backend\"")
        }
        labels = try settings.strings("labels") ?? []
        timeout = try settings.timeout()
        token = BearerToken(variable: try settings.string("token_env") ?? "GITHUB_TOKEN")
    }

    public func create(_ ticket: TrackerTicket) throws(TrackerError) -> ExternalIssue {
        var body = JSONWriter()
        body.beginObject()
        body.field("title", ticket.title)
        body.field("body", ticket.markdown)
        body.key("labels")
        body.beginArray()
        for label in labels { body.value(label) }
        body.endArray()
        body.endObject()
        return try issue(from: try request("POST", "\(baseURL)/repos/\(repo)/issues", body: body.bytes, expecting: 201))
    }

    public func link(_ ticket: TrackerTicket, externalID: String) throws(TrackerError) -> ExternalIssue {
        let digits = externalID.hasPrefix("#") ? String(externalID.dropFirst()) : externalID
        guard let number = Int(digits), number > 0 else { throw .badInput("a GitHub issue is a number, like 42 or #42, not \(Sanitized.quote(externalID))") }
        return try issue(from: try request("GET", "\(baseURL)/repos/\(repo)/issues/\(number)", body: nil, expecting: 200))
    }

    public func render(_ link: GroupLink) -> String { "\(repo)#\(link.externalID)" }

    private func request(_ method: String, _ url: String, body: [UInt8]?, expecting status: Int) throws(TrackerError) -> [UInt8] {
        var headers = ["Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "triage"]
        headers.merge(token.headers) { $1 }
        let response: HTTPExchange.Response
        do { response = try HTTPExchange.send(method, url, headers: headers, body: body, timeout: timeout) } catch {
            throw .carrying(error.description, timedOut: error.timedOut)
        }
        switch response.status {
        case status: return response.body
        case 404 where method == "GET": throw .notFound("no issue \(url.split(separator: "/").last ?? "") in \(repo)")
        case 401, 403:
            let hint = token.value == nil ? " (no token: set $\(token.variable ?? "GITHUB_TOKEN"))" : ""
            throw .failed(HTTPAnswer.describe(response, from: url) + hint)
        default: throw .failed(HTTPAnswer.describe(response, from: url))
        }
    }

    /// `number`, `html_url` and `title` from GitHub's issue object.
    private func issue(from answer: [UInt8]) throws(TrackerError) -> ExternalIssue {
        guard let root = (try? JSONDocument(bytes: answer, maxDepth: 64))?.root, let number = root["number"]?.int64 else {
            throw .failed("\(baseURL) answered without an issue number")
        }
        return ExternalIssue(id: String(number), url: root["html_url"]?.string.flatMap(ExternalIssue.webURL),
                             title: root["title"]?.string.map(TerminalText.sanitize))
    }
}
