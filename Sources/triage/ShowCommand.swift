import ArgumentParser
import Foundation
import TriageEngine

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one group with its latest occurrence, evidence and status history."
    )

    @OptionGroup var locations: Locations

    @Argument(help: "The group's numeric id or short id (e.g. P1-3F).")
    var group: String

    @Flag(help: "Print the group object with latest_occurrence, history and links as JSON.")
    var json = false

    func run() throws {
        let config = try locations.loadConfig()
        let store = try locations.openIssueStoreForReading(config)
        let details = try store.details(of: try store.group(group).id)
        let trackers = TrackerActions(store: store, trackers: config.trackers, activity: try locations.activity(config, store: store))
        print(json ? GroupJSON.details(details, registry: store.registry)
                   : GroupReport(registry: store.registry, flags: config.engine.flags, renderLink: trackers.render).render(details))
    }
}

/// `show`'s human output. Every payload string passes through `TerminalText.sanitize`.
struct GroupReport {
    let registry: GroupTypeRegistry
    /// Which unreleased types lists show: a group of a hidden one is reachable only by its id.
    let flags: ReleaseFlags
    /// A link in its tracker's terms (`acme/backend#12`).
    let renderLink: (GroupLink) -> String

    func render(_ details: GroupDetails) -> String {
        let group = details.group
        let type = registry.type(id: group.typeID)
        var lines: [String] = [
            TerminalText.sanitize(group.title),
            "",
            field("short id", group.shortID + "  (id \(group.id), project \(group.projectID))"),
            field("subtitle", group.subtitle),
            field("culprit", group.culprit),
            field("type", "\(type?.slug ?? "?") (\(group.typeID))\(visibility(type, project: group.projectID))"),
            field("level", group.level.rawValue),
            field("status", group.state.description),
            field("priority", String(group.priority)),
            field("events", GroupPresentation.count(group.timesSeen)),
            field("first seen", ISOTime.format(group.firstSeen)),
            field("last seen", ISOTime.format(group.lastSeen)),
        ]
        if let assignee = group.assignee { lines.append(field("assignee", AssignmentChange.name(assignee))) }
        for link in details.links {
            let rendered = renderLink(link)
            let url = link.url.flatMap { rendered.contains($0) ? nil : "  \($0)" } ?? ""
            let title = link.title.map { "  \($0)" } ?? ""
            lines.append(field("linked", "\(link.tracker): \(rendered)\(url)\(title)"))
        }
        if let payload = details.payload, let document = try? JSONDocument(bytes: payload, maxDepth: 1024) {
            lines += evidence(document.root)
            if let data = document.root["evidence_data"] {
                lines += ["", "Evidence data"] + JSONPretty.lines(data).map { "  " + TerminalText.sanitize($0) }
            }
            let tags = EventTags.rows(of: document.root)
            if !tags.isEmpty { lines += ["", "Tags"] + tags.map { field($0.key, $0.value) } }
        }
        lines += ["", "History"]
        for entry in details.timeline {
            lines += historyLines(entry)
        }
        return lines.joined(separator: "\n")
    }

    /// A history entry; a note's lines follow its heading, indented.
    private func historyLines(_ entry: TimelineEntry) -> [String] {
        let at = "  \(ISOTime.format(entry.at))  "
        switch entry {
        case let .status(entry):
            let from = entry.from.map { "\($0) → " } ?? ""
            return [at + "\(from)\(entry.to)  (\(entry.cause)\(entry.actor.map { ", by \(TerminalText.sanitize($0))" } ?? "")\(entry.detail.map { ": \($0)" } ?? ""))"]
        case let .assignment(change):
            return [at + "assigned to \(TerminalText.sanitize(AssignmentChange.name(change.to)))  (by \(TerminalText.sanitize(change.actor)))"]
        case let .priority(change):
            return [at + "\(change.summary)  (by \(TerminalText.sanitize(change.actor)))"]
        case let .note(note):
            return [at + "note by \(TerminalText.sanitize(note.author)):"]
                + note.text.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + TerminalText.sanitize(String($0)) }
        }
    }

    /// The evidence table: names aligned, the important row marked with ▶ so it shows without colour.
    private func evidence(_ root: JSONValue) -> [String] {
        let entries = EvidenceTable.rows(of: root).map {
            (name: TerminalText.sanitize($0.name), value: TerminalText.sanitize($0.value), important: $0.important)
        }
        guard !entries.isEmpty else { return [] }
        let nameWidth = min(32, entries.map { TerminalText.width($0.name) }.max() ?? 0)
        return ["", "Evidence"] + entries.map { entry in
            "\(entry.important ? " ▶ " : "   ")\(TerminalText.pad(entry.name, columns: nameWidth))  \(entry.value)"
        }
    }

    /// Why `list` and the UI do not show this group, when they do not.
    private func visibility(_ type: GroupType?, project: Int64) -> String {
        guard let type, !flags.allows(.visible, type: type, project: project) else { return "" }
        return "  (hidden from lists and the UI: the flag \(ReleaseFlags.Gate.visible.flag(for: type.slug)) is off for project \(project))"
    }

    private func field(_ name: String, _ value: String) -> String {
        "  " + TerminalText.pad(name, columns: 12) + " " + TerminalText.sanitize(value)
    }
}
