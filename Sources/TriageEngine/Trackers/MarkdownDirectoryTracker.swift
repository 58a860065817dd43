import Foundation

/// Tickets as Markdown files in a directory, for teams that keep them in git: one file per created
/// ticket, named after the group's short id.
///
/// ```toml
/// [plugins.tickets]
/// kind = "markdown"
/// directory = "/srv/ops/tickets"
/// url_base = "https://git.example.com/ops/tickets/blob/main/"   # optional: links become URLs
/// ```
public struct MarkdownDirectoryTracker: IssueTrackerPlugin {
    public static let identity = PluginIdentity(
        slug: "markdown", title: "Markdown directory", version: "1.0", author: "triage",
        description: "Writes one Markdown file per ticket into a directory (keep it in git).")
    public static let capabilities: TrackerCapabilities = .all

    let directory: String
    let urlBase: String?

    public init(directory: String, urlBase: String? = nil) {
        self.directory = directory
        self.urlBase = urlBase
    }

    public init(settings: PluginSettings) throws {
        let directory = try settings.requiredString("directory")
        guard directory.hasPrefix("/") else { throw settings.error("directory", "must be an absolute path") }
        self.directory = directory
        urlBase = try settings.string("url_base")
    }

    public func create(_ ticket: TrackerTicket) throws(TrackerError) -> ExternalIssue {
        do { try PrivateDirectory.create(directory) } catch {
            throw .failed(error.description)
        }
        let contents = Array("""
            # \(Markdown.inline(ticket.title))

            \(ticket.markdown)

            """.utf8)
        // A group unlinked and filed again gets a new file; the old ticket stays as it was written.
        for attempt in 1...1000 {
            let name = attempt == 1 ? "\(ticket.group.shortID).md" : "\(ticket.group.shortID)-\(attempt).md"
            switch try writeNew(name, contents) {
            case true: return issue(name, title: ticket.title)
            case false: continue
            }
        }
        throw .failed("\(directory) already has 1000 tickets for \(ticket.group.shortID)")
    }

    public func link(_ ticket: TrackerTicket, externalID: String) throws(TrackerError) -> ExternalIssue {
        let name = externalID.hasSuffix(".md") ? externalID : externalID + ".md"
        // The id is typed by a person and becomes a path: a plain file name in the directory, nothing else.
        guard !name.hasPrefix("."), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw .badInput("a ticket here is a file name like P1-3F.md (letters, digits, - _ .), not \(Sanitized.quote(externalID))")
        }
        guard let text = try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8) else {
            throw .notFound("\(directory)/\(name)")
        }
        let heading = text.split(separator: "\n").first { $0.hasPrefix("# ") }.map { TerminalText.sanitize(Markdown.plain($0.dropFirst(2))) }
        return issue(name, title: heading)
    }

    public func render(_ link: GroupLink) -> String { link.url ?? "\(directory)/\(link.externalID)" }

    private func issue(_ name: String, title: String?) -> ExternalIssue {
        ExternalIssue(id: name, url: urlBase.map { $0 + name }, title: title)
    }

    /// Writes a file that must not exist yet: a temporary file, then `link(2)`, which refuses to
    /// replace, so two people filing at once never overwrite each other's ticket.
    private func writeNew(_ name: String, _ contents: [UInt8]) throws(TrackerError) -> Bool {
        let temporary = "\(directory)/.\(name).\(getpid()).tmp"
        // Tickets hold what payloads said: their owner's alone, like the store. A fresh file, so a
        // leftover of a killed run never lends it its mode.
        Glibc.unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .failed("cannot write in \(directory): \(String(cString: strerror(errno)))") }
        defer { Glibc.unlink(temporary) }
        let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == contents.count, synced else { throw .failed("cannot write in \(directory): \(String(cString: strerror(errno)))") }
        if Glibc.link(temporary, "\(directory)/\(name)") == 0 { return true }
        guard errno == EEXIST else { throw .failed("cannot create \(directory)/\(name): \(String(cString: strerror(errno)))") }
        return false
    }
}
