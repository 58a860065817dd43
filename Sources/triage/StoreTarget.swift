import Foundation
import TriageEngine
import TriagePostgres

/// The one place that decides which backend a store location means: a `postgres://` or
/// `postgresql://` URL is a team store, anything else a SQLite file.
enum StoreTarget {
    case file(String)
    case team(PostgresLocation)

    /// `named` (`--store`, else `$TRIAGE_STORE`) wins over `[store] url`, which wins over the default file.
    static func resolve(named: String?, config: TriageConfig) throws -> StoreTarget {
        guard let text = named ?? config.storeURL else { return .file(Locations.dataHome + "/triage/triage.sqlite") }
        guard PostgresLocation.isURL(text) else {
            if PostgresLocation.isMistypedURL(text) {
                throw TriageFailure.usage("\(text) is not a store: a team store's URL starts postgres:// or postgresql:// (two slashes)")
            }
            if PostgresLocation.hasScheme(text) {
                throw TriageFailure.usage("\(text.prefix { $0 != ":" })://… is not a store: a team store is a postgres:// or postgresql:// URL, a local store a file path")
            }
            if named == nil { throw PostgresFailure.badURL("[store] url must be a postgres:// or postgresql:// URL; a file goes in --store") }
            return .file(text)
        }
        return .team(try PostgresLocation(parsing: text))
    }

    /// The password: `$PGPASSWORD`, or the variable `[store] password_env` names; never the config file.
    static func password(_ config: TriageConfig, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let name = config.storePasswordEnv {
            guard let value = environment[name] else { throw PostgresFailure.passwordVariableUnset(name) }
            return value
        }
        return environment["PGPASSWORD"]
    }

    static func connect(_ location: PostgresLocation, config: TriageConfig) throws -> PostgresSession {
        try PostgresSession.connect(location, password: try password(config))
    }

    /// Connects and checks the schema version (a store behind this triage's names the command to run).
    /// `waitingForServer`: a server that is away leaves a store that connects (and checks) once it is back.
    static func openTeam(_ location: PostgresLocation, config: TriageConfig, waitingForServer: Bool = false) throws -> PostgresStore {
        let password = try password(config)
        let session = try waitingForServer ? PostgresSession.connectWhenReachable(location, password: password)
            : PostgresSession.connect(location, password: password)
        return try PostgresStore(session: session, registry: config.registry, settings: config.engine, actorSource: config.storeActor)
    }
}
