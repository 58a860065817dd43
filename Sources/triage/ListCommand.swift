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

    @Option(help: "last_seen, first_seen, events or priority.")
    var sort: GroupSort = .lastSeen

    @Option(help: "At most this many groups (default: all).")
    var limit: Int?

    @Flag(help: "Print a JSON array of group objects.")
    var json = false

    @Flag(help: "Print tab-separated rows without colour, for grep and awk.")
    var plain = false

    @Option(help: ArgumentHelp("Keep only these keys (comma-separated) in --json and --plain output.", valueName: "a,b,c"))
    var fields: String?

    func validate() throws {
        if json && plain { throw ValidationError("--json and --plain exclude each other.") }
        if let limit, limit < 0 { throw ValidationError("--limit must be zero or more.") }
        if let unknown = selectedFields?.first(where: { !GroupJSON.fieldNames.contains($0) }) {
            throw ValidationError("--fields: unknown key '\(unknown)'; known: \(GroupJSON.fieldNames.joined(separator: ", ")).")
        }
    }

    private var selectedFields: [String]? {
        fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    func run() throws {
        let config = try locations.loadConfig()
        let store = try locations.openStore(config)
        let parsed: GroupQuery
        do { parsed = try QueryParser(registry: store.registry).parse(query) } catch {
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

extension GroupSort: ExpressibleByArgument {}
