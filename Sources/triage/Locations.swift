import ArgumentParser
import Foundation
import TriageEngine
import TriagePostgres

/// `--store`, `--spool` and `--config`, shared by every command, with the contract's fallbacks.
struct Locations: ParsableArguments {
    @Option(help: ArgumentHelp("The store file, or a team store's postgres:// URL.",
                               discussion: "Default: $TRIAGE_STORE, else [store] url, else $XDG_DATA_HOME/triage/triage.sqlite.",
                               valueName: "path|url"))
    var store: String?

    @Option(help: ArgumentHelp("The spool directory.", discussion: "Default: $TRIAGE_SPOOL, else $XDG_DATA_HOME/triage/spool.", valueName: "dir"))
    var spool: String?

    @Option(help: ArgumentHelp("The TOML configuration file.", discussion: "Default: $TRIAGE_CONFIG, else $XDG_CONFIG_HOME/triage/config.toml if it exists.", valueName: "path"))
    var config: String?

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `$XDG_DATA_HOME`, else `~/.local/share`.
    static var dataHome: String {
        ProcessInfo.processInfo.environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.local/share"
    }

    private var dataHome: String { Self.dataHome }

    var storePath: String { store ?? environment["TRIAGE_STORE"] ?? dataHome + "/triage/triage.sqlite" }
    var spoolPath: String { spool ?? environment["TRIAGE_SPOOL"] ?? dataHome + "/triage/spool" }

    /// An explicitly named config must exist; the XDG default is used only when present.
    func loadConfig() throws -> TriageConfig { try Self.loadConfig(named: config) }

    /// `named` (`--config`), else `$TRIAGE_CONFIG`, else the XDG default if present: for tools with
    /// options of their own (`bench-ui`) as for the commands.
    static func loadConfig(named config: String?) throws -> TriageConfig {
        let environment = ProcessInfo.processInfo.environment
        if let named = config ?? environment["TRIAGE_CONFIG"] {
            return try TriageConfig.load(path: named)
        }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.config"
        let defaultPath = configHome + "/triage/config.toml"
        return FileManager.default.fileExists(atPath: defaultPath) ? try TriageConfig.load(path: defaultPath) : TriageConfig()
    }

    /// Opens (or creates) the store; the configured notifiers are registered before this process can
    /// record a notification, so each receives everything recorded while it is configured. For the
    /// commands that need SQLite; those that work on either store call `openIssueStore`.
    func openStore(_ config: TriageConfig) throws -> SQLiteStore {
        if case let .team(location) = try StoreTarget.resolve(named: namedStore, config: config) {
            throw PostgresFailure.unsupported("this command does not work on a team store yet (\(location.description)); "
                                              + "ingest, list, show, resolve, ignore, unresolve, priority, assign, note, link, unlink, metrics, tui, types and store do")
        }
        let store = try SQLiteStore(path: storePath, registry: config.registry, settings: config.engine) { notice in
            FileHandle.standardError.write(Data("triage: \(notice)\n".utf8))
        }
        try NotificationDispatcher.register(config.notifiers, in: store)
        return store
    }

    /// For commands that only read: a store this process may not write (on a read-only filesystem,
    /// or a file it may only read) is opened read-only rather than refused.
    func openStoreForReading(_ config: TriageConfig) throws -> SQLiteStore {
        if case .team = try StoreTarget.resolve(named: namedStore, config: config) { return try openStore(config) }
        guard storeIsReadOnly else { return try openStore(config) }
        return try SQLiteStore(readingOnly: storePath, registry: config.registry, settings: config.engine)
    }

    /// The store exists and this process may not write it (the file, or its directory for the journal).
    var storeIsReadOnly: Bool {
        let directory = (storePath as NSString).deletingLastPathComponent
        return FileManager.default.fileExists(atPath: storePath)
            && (access(storePath, W_OK) != 0 || access(directory.isEmpty ? "." : directory, W_OK) != 0)
    }

    /// `--store`, else `$TRIAGE_STORE`: the store named outside the config file.
    var namedStore: String? { store ?? environment["TRIAGE_STORE"] }

    /// The store either way: a team store's URL, else the SQLite file (opened or created). Both keep
    /// counter totals, so a command's counts carry on whichever it acts on.
    func openIssueStore(_ config: TriageConfig) throws -> any IssueStore & MetricsStore {
        switch try StoreTarget.resolve(named: namedStore, config: config) {
        case let .team(location):
            let store = try StoreTarget.openTeam(location, config: config)
            try NotificationDispatcher.register(config.notifiers, in: store)
            return store
        case .file: return try openStore(config)
        }
    }

    /// As `openIssueStore`, but a SQLite store this process may not write is opened read-only.
    func openIssueStoreForReading(_ config: TriageConfig) throws -> any IssueStore & MetricsStore {
        switch try StoreTarget.resolve(named: namedStore, config: config) {
        case let .team(location): return try StoreTarget.openTeam(location, config: config)
        case .file: return try openStoreForReading(config)
        }
    }

    /// The analytics sink: `[analytics] path`, else `analytics.jsonl` beside the store (for a team
    /// store, which has no directory, in `$XDG_DATA_HOME/triage`).
    func analytics(_ config: TriageConfig) -> Analytics {
        guard config.analytics.enabled else { return .disabled }
        let isTeam = if case .team = try? StoreTarget.resolve(named: namedStore, config: config) { true } else { false }
        let directory = isTeam ? dataHome + "/triage" : (storePath as NSString).deletingLastPathComponent
        let path = config.analytics.path ?? (directory as NSString).appendingPathComponent("analytics.jsonl")
        return Analytics(sink: AnalyticsSink(path: path, maxBytes: config.analytics.maxBytes, keep: config.analytics.keep))
    }

    /// Who is acting, and where their actions are recorded. On a team store that records the role the
    /// server authenticated, that role is who acts (and who `me` is), whatever `$TRIAGE_USER` says.
    func activity(_ config: TriageConfig, metrics: TriageMetrics? = nil, store: (any IssueStore)? = nil) throws -> UserActivity {
        var actor = Actor.current(environment: environment)
        if let team = store as? PostgresStore, team.actorSource == .role {
            // A store waiting for its server names the role it will log in as, which the server authenticates.
            let role = team.isConnected ? try team.authenticatedRole() : team.loginRole
            actor = Actor(userID: role, defaultUserID: actor.defaultUserID)
        }
        return UserActivity(actor: actor, organizationID: config.analytics.organizationID,
                            analytics: analytics(config), metrics: metrics, registry: config.registry)
    }
}
