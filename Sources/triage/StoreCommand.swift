import ArgumentParser
import Foundation
import TriageEngine
import TriagePostgres

/// `triage store …`: the team store's administration.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Administer a team store (PostgreSQL): create or upgrade its schema, print role grants, copy a local store into it.",
        subcommands: [StoreMigrateCommand.self, StoreGrantsCommand.self, StoreCopyCommand.self]
    )
}

/// The team store that `--store`, `$TRIAGE_STORE` or `[store] url` names; a file there is a usage error.
private func teamLocation(_ locations: Locations, _ config: TriageConfig) throws -> PostgresLocation {
    guard case let .team(location) = try StoreTarget.resolve(named: locations.namedStore, config: config) else {
        throw TriageFailure.usage("this command needs a team store: --store postgres://USER@HOST/DATABASE (or $TRIAGE_STORE, or [store] url)")
    }
    return location
}

struct StoreMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the team store's schema (run it as the role that owns the schema)."
    )

    @OptionGroup var locations: Locations

    func run() throws {
        let config = try locations.loadConfig()
        let location = try teamLocation(locations, config)
        let applied = try PostgresSchema.migrate(try StoreTarget.connect(location, config: config))
        if applied.isEmpty {
            print("\(location.description): schema v\(PostgresSchema.version), up to date")
        } else {
            for name in applied { print("\(location.description): applied \(name)") }
        }
    }
}

struct StoreGrantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grants",
        abstract: "Print the SQL for least-privilege roles: \(PostgresGrants.ingestRole) (ingesting hosts) and \(PostgresGrants.oncallRole) (people).",
        discussion: "Neither role owns the schema. The on-call role reads, changes status and priority, assigns, adds notes and links; it cannot store occurrences."
    )

    @OptionGroup var locations: Locations

    @Option(help: "The database to grant CONNECT on (default: the team store's, else triage).")
    var database: String?

    func run() throws {
        let config = try locations.loadConfig()
        var name = database ?? "triage"
        if database == nil, case let .team(location) = try StoreTarget.resolve(named: locations.namedStore, config: config) {
            name = location.database
        }
        print(PostgresGrants.sql(database: name), terminator: "")
    }
}

struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a local SQLite store into a team store; a rerun copies nothing twice.",
        discussion: """
            Copies groups (keeping their ids where free, so short ids stay the same), occurrences, status history, \
            ignore conditions, links, notes, hourly counts, users, notifications and occurrences held as noise. A group \
            the team store already has (same project and fingerprint) is left as it is there.
            """
    )

    @Option(help: ArgumentHelp("The SQLite store to copy.", valueName: "path"))
    var from: String

    @Option(help: ArgumentHelp("The team store's postgres:// URL.", valueName: "url"))
    var to: String

    @Option(help: ArgumentHelp("The TOML configuration file (for [store] password_env).", valueName: "path"))
    var config: String?

    func run() throws {
        let settings = try config.map { try TriageConfig.load(path: $0) } ?? TriageConfig()
        guard PostgresLocation.isURL(to) else { throw TriageFailure.usage("--to must be a postgres:// or postgresql:// URL") }
        let location = try PostgresLocation(parsing: to)
        guard !PostgresLocation.hasScheme(from) else { throw TriageFailure.usage("--from is a local SQLite store's path, not a URL") }
        guard FileManager.default.fileExists(atPath: from) else { throw StoreError.cannotOpen(path: from, reason: "no store there") }
        let source = try SQLiteStore(path: from)
        let session = try StoreTarget.connect(location, config: settings)
        try PostgresSchema.check(session)
        let report = try StoreCopy(source: source, target: session).run()
        print("\(from) → \(location.description): \(report.summary)")
        // A short id someone wrote in a ticket or a handoff now names another group: say which changed.
        for change in report.renumbered { print("  \(change.from) is now \(change.to) (the team store's \(change.from) is another group)") }
    }
}
