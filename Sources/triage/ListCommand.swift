import ArgumentParser
import Foundation
import TriageEngine

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List groups matching a query, newest activity first.",
        discussion: """
            Query terms (all must match): is:unresolved|resolved|ignored|archived|muted|new|ongoing|regressed|escalating, \
            type:SLUG[,SLUG] (alias issue.type:), issue.category:NAME, level:LEVEL, project:ID, priority:low|medium|high, \
            times_seen:>N, last_seen:-1h, has:important; `!` before a key negates it; other words or "quoted phrases" \
            match title, subtitle or culprit, ignoring case. --query '' matches every group.
            """
    )

    @OptionGroup var locations: Locations

    @Option(name: .shortAndLong, help: "The query (default: is:unresolved).")
    var query = "is:unresolved"

    @Option(help: ArgumentHelp("\(GroupSort.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "order"))
    var sort: GroupSort = .lastSeen

    // Unconditional: `--limit -1` is a wrong number, not a missing one.
    @Option(parsing: .unconditional, help: "At most this many groups (default: all).")
    var limit: Int?

    @Flag(help: "Print a JSON array of group objects.")
    var json = false

    @Flag(help: "Print tab-separated rows without colour, for grep and awk.")
    var plain = false

    @Flag(help: "List the occurrences held below their type's noise limit (by grouping key) instead of groups.")
    var noise = false

    @Option(help: ArgumentHelp("Keep only these keys (comma-separated) in --json and --plain output.", valueName: "a,b,c"))
    var fields: String?

    func validate() throws {
        if json && plain { throw ValidationError("--json and --plain exclude each other.") }
        if let limit, limit < 0 { throw ValidationError("--limit must be zero or more.") }
        // The table keeps its columns; a script asking for keys means an output it parses.
        if fields != nil && !json && !plain { throw ValidationError("--fields chooses keys for --json or --plain; add one of them.") }
        if let unknown = selectedFields?.first(where: { !GroupJSON.fieldNames.contains($0) }) {
            throw ValidationError("--fields: unknown key '\(unknown)'; known: \(GroupJSON.fieldNames.joined(separator: ", ")).")
        }
    }

    private var selectedFields: [String]? {
        fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    func run() throws {
        let config = try locations.loadConfig()
        let store = try locations.openIssueStoreForReading(config)
        if noise { return try listNoise(store) }
        let parsed: GroupQuery
        do { parsed = try QueryParser(registry: store.registry, me: try locations.activity(config, store: store).actor.name).parse(query) } catch {
            throw TriageFailure.usage("bad query: \(error)")
        }
        let groups = try store.groups(matching: parsed, sort: sort, limit: limit, offset: 0)
        if json {
            var writer = JSONWriter()
            writer.beginArray()
            for group in groups { GroupJSON.write(group, registry: store.registry, into: &writer, fields: selectedFields.map(Set.init)) }
            writer.endArray()
            print(writer.text)
        } else if plain {
            let names = selectedFields ?? PlainRow.defaultFields
            for group in groups { print(PlainRow.render(group, fields: names, registry: store.registry)) }
        } else {
            print(GroupTable(registry: store.registry, now: Date().timeIntervalSince1970, color: Terminal.colorEnabled,
                             width: Terminal.columns).render(groups, total: groups.count, query: query), terminator: "")
        }
    }
}

extension ListCommand {
    /// `--noise`: one row per grouping key with held occurrences.
    private func listNoise(_ store: any IssueStore) throws {
        let keys = try store.noiseHeld(limit: limit)
        func limitText(_ key: NoiseHeldKey) -> String {
            store.registry.type(id: key.typeID)?.noiseConfig.map { "\(key.windowCount)/\($0.ignoreLimit)" } ?? "\(key.windowCount)"
        }
        if json {
            var writer = JSONWriter()
            writer.beginArray()
            for key in keys {
                writer.beginObject()
                writer.field("project_id", key.projectID)
                writer.field("fingerprint", key.fingerprint)
                writer.field("type", store.registry.type(id: key.typeID)?.slug ?? String(key.typeID))
                writer.field("held", key.held)
                writer.field("window_count", key.windowCount)
                writer.field("ignore_limit", store.registry.type(id: key.typeID)?.noiseConfig?.ignoreLimit)
                writer.field("first_seen", ISOTime.format(key.firstSeen))
                writer.field("last_seen", ISOTime.format(key.lastSeen))
                writer.endObject()
            }
            writer.endArray()
            print(writer.text)
            return
        }
        if keys.isEmpty {
            if !plain { print("no occurrences are held as noise") }
            return
        }
        let now = Date().timeIntervalSince1970
        let rows = keys.map { key in
            [String(key.projectID), store.registry.type(id: key.typeID)?.slug ?? String(key.typeID), TerminalText.sanitize(key.fingerprint),
             String(key.held), limitText(key), plain ? ISOTime.format(key.lastSeen) : ISOTime.relative(key.lastSeen, now: now)]
        }
        if plain {
            rows.forEach { print($0.joined(separator: "\t")) }
            return
        }
        let header = ["PROJECT", "TYPE", "FINGERPRINT", "HELD", "WINDOW", "LAST SEEN"]
        let widths = header.indices.map { column in ([header] + rows).map { TerminalText.width($0[column]) }.max() ?? 0 }
        for row in [header] + rows {
            print(row.indices.map { $0 == row.count - 1 ? row[$0] : TerminalText.pad(row[$0], columns: widths[$0]) }.joined(separator: "  "))
        }
    }
}

extension GroupSort: ExpressibleByArgument {}
