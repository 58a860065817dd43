import Foundation
import TOMLKit

/// The TOML configuration: payload limits and custom group types and categories.
///
/// ```toml
/// [ingest]
/// max_payload_bytes = 1048576
/// max_depth = 64
/// max_hours_ahead = 24         # refuse a detection_time further ahead of this machine's clock
///
/// [[categories]]
/// id = 100
/// name = "security"
///
/// [[types]]
/// id = 9001
/// slug = "secret_leak"
/// description = "Secret in a log line"
/// category = 100
/// released = true
/// noise = { ignore_limit = 3, expiry_time = 3600 }   # seconds
///
/// [projects.1]
/// resolve_age = 72             # hours without an occurrence before an unresolved group auto-resolves
///
/// [lifecycle]
/// escalation_floor = 10        # occurrences per hour that escalate a group younger than a day
///
/// [flags]                      # release flags for unreleased types (spec §6); per project too
/// "issue-metric-issue-ingest" = true
///
/// [notifications]
/// resolved = false             # also notify on resolution
///
/// [[notifiers]]                # where notifications go: jsonl, command or webhook
/// name = "pager"
/// kind = "command"
/// argv = ["/usr/local/bin/page", "--team", "oncall"]
/// timeout = 10                 # seconds
///
/// [plugins.tickets]           # issue trackers: kind = markdown, command, webhook or github
/// kind = "markdown"
/// directory = "/srv/ops/tickets"
///
/// [store]
/// keep_occurrences = 100       # newest occurrences kept per group ("all" keeps every one)
/// url = "postgres://triage@db.internal/triage"   # team mode; --store and $TRIAGE_STORE win
/// password_env = "TRIAGE_PG_PASSWORD"           # the variable holding its password (else $PGPASSWORD)
/// actor = "env"                # history names $TRIAGE_USER, not the database role (the default, "role")
///
/// [analytics]
/// path = "/var/log/triage/analytics.jsonl"   # default: analytics.jsonl beside the store
/// max_bytes = 10485760         # rotate when the file would grow past this
///
/// [ui]
/// theme = "light"
/// mouse = false
///
/// [keys]                       # command = key or [keys]; `triage tui` then `?` lists commands
/// resolve = "R"
/// down = ["j", "down", "ctrl-n"]
/// ```
public struct TriageConfig: Sendable {
    public var registry: GroupTypeRegistry = .builtIn
    public var limits: PayloadLimits = .default
    /// Terminal UI preferences, kept as written: the engine does not interpret them.
    public var interface = InterfaceSettings()
    public var notifiers: [NotifierConfig] = []
    /// Issue trackers from `[plugins.NAME]`, in name order.
    public var trackers: [ConfiguredTracker] = []
    public var analytics = AnalyticsSettings()
    public var engine = EngineSettings()
    /// `[store] url`: the store when neither `--store` nor `$TRIAGE_STORE` names one.
    public var storeURL: String?
    /// `[store] password_env`: the environment variable holding the team store's password.
    public var storePasswordEnv: String?
    /// `[store] actor`: who the team store records as making a change.
    public var storeActor: TeamActorSource = .role
    /// Where the configuration came from, for messages; nil when built-in defaults are used.
    public var source: String?

    public init() {}

    /// Reads the file as it is: `/dev/null` or an empty file is an empty configuration.
    public static func load(path: String) throws(ConfigError) -> TriageConfig {
        let bytes: [UInt8]
        do { bytes = try ConfigFile.read(path) } catch {
            throw ConfigError(file: path, message: "cannot read the file: \(error.reason)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(file: path, message: "is not UTF-8 text")
        }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String) throws(ConfigError) -> TriageConfig {
        if let problem = TOMLTextCheck.problem(in: text) {
            throw ConfigError(file: source, message: "line \(problem.line), column \(problem.column): \(problem.message)")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ConfigError(file: source, message: "line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw ConfigError(file: source, message: "\(error)")
        }
        var config = TriageConfig()
        config.source = source
        let reader = ConfigReader(file: source)
        try reader.rejectUnknownKeys(table, known: ["ingest", "categories", "types", "ui", "keys", "projects", "lifecycle", "flags",
                                                      "notifications", "notifiers", "plugins", "analytics", "store"], path: "")
        if let ingest = try reader.table(table, "ingest", path: "") {
            try reader.rejectUnknownKeys(ingest, known: ["max_payload_bytes", "max_depth", "max_hours_ahead"], path: "ingest")
            if let bytes = try reader.int(ingest, "max_payload_bytes", path: "ingest") {
                guard (1...PayloadLimits.largestAllowedPayload).contains(bytes) else {
                    throw reader.error("ingest.max_payload_bytes", "must be between 1 and \(PayloadLimits.largestAllowedPayload)")
                }
                config.limits.maxPayloadBytes = bytes
            }
            if let depth = try reader.int(ingest, "max_depth", path: "ingest") {
                guard (2...512).contains(depth) else { throw reader.error("ingest.max_depth", "must be between 2 and 512") }
                config.limits.maxDepth = depth
            }
            if let hours = try reader.double(ingest, "max_hours_ahead", path: "ingest") {
                guard (0...8760).contains(hours) else { throw reader.error("ingest.max_hours_ahead", "must be between 0 and 8760 hours") }
                config.limits.maxSecondsAhead = hours * 3600
            }
        }
        if let projects = try reader.table(table, "projects", path: "") {
            for key in projects.keys.sorted() {
                let path = "projects.\(key)"
                guard let projectID = Int64(key), projectID > 0 else { throw reader.error(path, "a project is named by its numeric id, like [projects.1]") }
                guard let project = try reader.table(projects, key, path: "projects") else { continue }
                try reader.rejectUnknownKeys(project, known: ["resolve_age", "flags"], path: path)
                if let flags = try reader.table(project, "flags", path: path) {
                    config.engine.flags.perProject[projectID] = try reader.flags(flags, path: "\(path).flags")
                }
                if let hours = try reader.double(project, "resolve_age", path: path) {
                    guard hours > 0 else { throw reader.error("\(path).resolve_age", "must be a positive number of hours") }
                    config.engine.lifecycle.resolveAgeHours[projectID] = hours
                }
            }
        }
        if let store = try reader.table(table, "store", path: "") {
            // A password in a file is one copy too many: it belongs in the environment.
            if store["password"] != nil {
                throw reader.error("store.password", "a password is never read from the config file; put it in $PGPASSWORD, "
                                   + "or name the variable holding it with password_env = \"NAME\"")
            }
            try reader.rejectUnknownKeys(store, known: ["keep_occurrences", "url", "password_env", "actor"], path: "store")
            config.storeURL = try reader.string(store, "url", path: "store")
            config.storePasswordEnv = try reader.string(store, "password_env", path: "store")
            if let actor = try reader.string(store, "actor", path: "store") {
                guard let source = TeamActorSource(rawValue: actor) else {
                    throw reader.error("store.actor", "must be \"role\" (the database role, the default) or \"env\" ($TRIAGE_USER)")
                }
                config.storeActor = source
            }
            if let keep = store["keep_occurrences"] {
                if keep.string == "all" {
                    config.engine.keepOccurrences = nil
                } else if let count = keep.int, count >= 1 {
                    config.engine.keepOccurrences = count
                } else {
                    throw reader.error("store.keep_occurrences", "must be how many occurrences to keep per group (at least 1), or \"all\"")
                }
            }
        }
        if let lifecycle = try reader.table(table, "lifecycle", path: "") {
            try reader.rejectUnknownKeys(lifecycle, known: ["escalation_floor"], path: "lifecycle")
            if let floor = try reader.int(lifecycle, "escalation_floor", path: "lifecycle") {
                guard floor >= 1 else { throw reader.error("lifecycle.escalation_floor", "must be at least 1") }
                config.engine.lifecycle.escalationFloor = floor
            }
        }
        if let flags = try reader.table(table, "flags", path: "") {
            config.engine.flags.global = try reader.flags(flags, path: "flags")
        }
        if let notifications = try reader.table(table, "notifications", path: "") {
            try reader.rejectUnknownKeys(notifications, known: ["resolved"], path: "notifications")
            config.engine.notifyResolved = try reader.bool(notifications, "resolved", path: "notifications") ?? false
        }
        config.notifiers = try reader.notifiers(table)
        if let plugins = try reader.table(table, "plugins", path: "") {
            for name in plugins.keys.sorted() {
                guard let plugin = try reader.table(plugins, name, path: "plugins") else { continue }
                do { config.trackers.append(try TrackerCatalog.configure(name: name, table: plugin, file: source)) } catch let error as ConfigError {
                    throw error
                } catch {
                    throw reader.error("plugins.\(name)", "\(error)")
                }
            }
        }
        if let analytics = try reader.table(table, "analytics", path: "") {
            config.analytics = try reader.analytics(analytics)
        }
        if let ui = try reader.table(table, "ui", path: "") {
            try reader.rejectUnknownKeys(ui, known: ["theme", "mouse"], path: "ui")
            config.interface.theme = try reader.string(ui, "theme", path: "ui")
            config.interface.mouse = try reader.bool(ui, "mouse", path: "ui")
        }
        if let keys = try reader.table(table, "keys", path: "") {
            config.interface.keys = try reader.keyBindings(keys)
        }
        do {
            try config.registry.register(categories: try reader.categories(table), origin: "\(source) [[categories]]")
            try config.registry.register(types: try reader.types(table), origin: "\(source) [[types]]")
        } catch let error as GroupTypeRegistry.RegistryError {
            throw ConfigError(file: source, message: error.description)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: source, message: "\(error)")
        }
        // Flags name types, so they are checked once every type is registered.
        let known = ReleaseFlags.knownFlags(config.registry)
        let named = config.engine.flags.global.map { ("flags", $0.key) }
            + config.engine.flags.perProject.flatMap { project in project.value.keys.map { ("projects.\(project.key).flags", $0) } }
        if let unknown = named.sorted(by: { $0.1 < $1.1 }).first(where: { !known.contains($0.1) }) {
            throw reader.error("\(unknown.0).\"\(unknown.1)\"", "no unreleased type uses this flag (known: \(known.sorted().joined(separator: ", ")))")
        }
        return config
    }
}

/// The `[ui]` and `[keys]` sections. Key bindings are kept as written (command → key names), so the
/// UI can report the ones it does not know rather than drop them.
public struct InterfaceSettings: Sendable, Equatable {
    public var theme: String?
    public var mouse: Bool?
    public var keys: [(command: String, keys: [String])] = []

    public init() {}

    public static func == (lhs: InterfaceSettings, rhs: InterfaceSettings) -> Bool {
        lhs.theme == rhs.theme && lhs.mouse == rhs.mouse
            && lhs.keys.map(\.command) == rhs.keys.map(\.command) && lhs.keys.map(\.keys) == rhs.keys.map(\.keys)
    }
}

public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let message: String

    public var description: String { "\(file): \(message)" }
}

/// Typed access to TOML values with errors that name the key path.
private struct ConfigReader {
    let file: String

    func error(_ path: String, _ message: String) -> ConfigError {
        ConfigError(file: file, message: "\(path): \(message)")
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func rejectUnknownKeys(_ table: TOMLTable, known: Set<String>, path: String) throws(ConfigError) {
        if let unknown = table.keys.sorted().first(where: { !known.contains($0) }) {
            throw error(join(path, unknown), "unknown setting (known here: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func table(_ table: TOMLTable, _ key: String, path: String) throws(ConfigError) -> TOMLTable? {
        guard let value = table[key] else { return nil }
        guard let nested = value.table else { throw error(join(path, key), "must be a table") }
        return nested
    }

    func int(_ table: TOMLTable, _ key: String, path: String) throws(ConfigError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.int else { throw error(join(path, key), "must be an integer") }
        return number
    }

    func double(_ table: TOMLTable, _ key: String, path: String) throws(ConfigError) -> Double? {
        guard let value = table[key] else { return nil }
        if let number = value.double { return number }
        if let number = value.int { return Double(number) }
        throw error(join(path, key), "must be a number")
    }

    func string(_ table: TOMLTable, _ key: String, path: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw error(join(path, key), "must be a string") }
        return text
    }

    func bool(_ table: TOMLTable, _ key: String, path: String) throws(ConfigError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else { throw error(join(path, key), "must be true or false") }
        return flag
    }

    /// `"flag-name" = true|false`.
    func flags(_ table: TOMLTable, path: String) throws(ConfigError) -> [String: Bool] {
        var flags: [String: Bool] = [:]
        for key in table.keys { flags[key] = try bool(table, key, path: path) }
        return flags
    }

    func notifiers(_ root: TOMLTable) throws(ConfigError) -> [NotifierConfig] {
        var notifiers: [NotifierConfig] = []
        for (index, entry) in try entries(root, "notifiers").enumerated() {
            let path = "notifiers[\(index)]"
            let name = try required(string(entry, "name", path: path), "\(path).name")
            guard !name.isEmpty, !notifiers.contains(where: { $0.name == name }) else { throw error("\(path).name", "must be unique and not empty") }
            let timeout = try double(entry, "timeout", path: path) ?? 10
            guard timeout > 0, timeout <= 300 else { throw error("\(path).timeout", "must be between 0 and 300 seconds") }
            switch try required(string(entry, "kind", path: path), "\(path).kind") {
            case "jsonl":
                try rejectUnknownKeys(entry, known: ["name", "kind", "path"], path: path)
                notifiers.append(.jsonl(name: name, path: try required(string(entry, "path", path: path), "\(path).path")))
            case "command":
                try rejectUnknownKeys(entry, known: ["name", "kind", "argv", "timeout"], path: path)
                guard let list = entry["argv"]?.array, list.count > 0, (0..<list.count).allSatisfy({ list[$0].string != nil }) else {
                    throw error("\(path).argv", "must be a non-empty list of strings (the program and its arguments; no shell)")
                }
                let argv = (0..<list.count).map { list[$0].string! }
                guard argv[0].hasPrefix("/") else {
                    throw error("\(path).argv", "the program must be an absolute path, not \(Sanitized.quote(argv[0])) (it runs without a shell or $PATH)")
                }
                notifiers.append(.command(name: name, argv: argv, timeout: timeout))
            case "webhook":
                try rejectUnknownKeys(entry, known: ["name", "kind", "url", "timeout"], path: path)
                let url = try required(string(entry, "url", path: path), "\(path).url")
                guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw error("\(path).url", "must be an http:// or https:// URL") }
                notifiers.append(.webhook(name: name, url: url, timeout: timeout))
            case let other:
                throw error("\(path).kind", "'\(other)' is not a notifier kind (jsonl, command, webhook)")
            }
        }
        return notifiers
    }

    func analytics(_ table: TOMLTable) throws(ConfigError) -> AnalyticsSettings {
        try rejectUnknownKeys(table, known: ["enabled", "path", "max_bytes", "keep", "organization_id"], path: "analytics")
        var settings = AnalyticsSettings()
        settings.enabled = try bool(table, "enabled", path: "analytics") ?? true
        settings.path = try string(table, "path", path: "analytics")
        if let bytes = try int(table, "max_bytes", path: "analytics") {
            guard bytes >= 4096 else { throw error("analytics.max_bytes", "must be at least 4096") }
            settings.maxBytes = bytes
        }
        if let keep = try int(table, "keep", path: "analytics") {
            guard (1...100).contains(keep) else { throw error("analytics.keep", "must be between 1 and 100 rotated files") }
            settings.keep = keep
        }
        settings.organizationID = try int(table, "organization_id", path: "analytics") ?? settings.organizationID
        return settings
    }

    /// `command = "key"` or `command = ["key", ...]`.
    func keyBindings(_ table: TOMLTable) throws(ConfigError) -> [(command: String, keys: [String])] {
        var bindings: [(command: String, keys: [String])] = []
        for command in table.keys.sorted() {
            let value = table[command]!
            if let single = value.string {
                bindings.append((command, [single]))
            } else if let list = value.array, (0..<list.count).allSatisfy({ list[$0].string != nil }) {
                bindings.append((command, (0..<list.count).map { list[$0].string! }))
            } else {
                throw error("keys.\(command)", "must be a key name or a list of key names, like \"R\" or [\"j\", \"down\"]")
            }
        }
        return bindings
    }

    func required<T>(_ value: T?, _ path: String) throws(ConfigError) -> T {
        guard let value else { throw error(path, "is required") }
        return value
    }

    func entries(_ table: TOMLTable, _ key: String) throws(ConfigError) -> [TOMLTable] {
        guard let value = table[key] else { return [] }
        guard let array = value.array else { throw error(key, "must be an array of tables ([[\(key)]])") }
        var tables: [TOMLTable] = []
        for index in 0..<array.count {
            guard let entry = array[index].table else { throw error("\(key)[\(index)]", "must be a table") }
            tables.append(entry)
        }
        return tables
    }

    func categories(_ root: TOMLTable) throws(ConfigError) -> [GroupCategory] {
        var categories: [GroupCategory] = []
        for (index, entry) in try entries(root, "categories").enumerated() {
            let path = "categories[\(index)]"
            try rejectUnknownKeys(entry, known: ["id", "name"], path: path)
            categories.append(GroupCategory(id: try required(int(entry, "id", path: path), "\(path).id"),
                                            name: try required(string(entry, "name", path: path), "\(path).name")))
        }
        return categories
    }

    func types(_ root: TOMLTable) throws(ConfigError) -> [GroupType] {
        var types: [GroupType] = []
        let known: Set<String> = ["id", "slug", "description", "category", "released", "noise", "enable_auto_resolve",
                                  "enable_escalation_detection", "default_priority", "in_default_search"]
        for (index, entry) in try entries(root, "types").enumerated() {
            let path = "types[\(index)]"
            try rejectUnknownKeys(entry, known: known, path: path)
            let slug = try required(string(entry, "slug", path: path), "\(path).slug")
            guard !slug.isEmpty, slug.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw error("\(path).slug", "must be letters, digits and underscores")
            }
            var noise: NoiseConfig?
            if let noiseTable = try table(entry, "noise", path: path) {
                let noisePath = "\(path).noise"
                try rejectUnknownKeys(noiseTable, known: ["ignore_limit", "expiry_time"], path: noisePath)
                let limit = try required(int(noiseTable, "ignore_limit", path: noisePath), "\(noisePath).ignore_limit")
                let expiry = try required(double(noiseTable, "expiry_time", path: noisePath), "\(noisePath).expiry_time")
                guard limit >= 1, expiry > 0 else { throw error(noisePath, "ignore_limit must be ≥ 1 and expiry_time > 0") }
                noise = NoiseConfig(ignoreLimit: limit, expiryTime: expiry)
            }
            let priority = try int(entry, "default_priority", path: path) ?? Priority.medium
            guard Priority.allowed.contains(priority) else { throw error("\(path).default_priority", "must be \(Priority.allowedDescription)") }
            types.append(GroupType(
                id: try required(int(entry, "id", path: path), "\(path).id"),
                slug: slug,
                description: try string(entry, "description", path: path) ?? slug,
                categoryID: try required(int(entry, "category", path: path), "\(path).category"),
                released: try bool(entry, "released", path: path) ?? false,
                noiseConfig: noise,
                enableAutoResolve: try bool(entry, "enable_auto_resolve", path: path) ?? true,
                enableEscalationDetection: try bool(entry, "enable_escalation_detection", path: path) ?? true,
                defaultPriority: priority,
                inDefaultSearch: try bool(entry, "in_default_search", path: path) ?? true))
        }
        return types
    }
}
