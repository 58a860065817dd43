import Foundation
import GRDB
import TriageEngine

/// The team store: the same `IssueStore` contract as `SQLiteStore`, on a shared PostgreSQL database.
/// Reads and user actions; ingest writes through `PostgresIngestStore`.
public final class PostgresStore: IssueStore {
    public let registry: GroupTypeRegistry
    public let settings: EngineSettings
    public let clock: any TriageClock
    /// Who changes are recorded as: the database role (`current_user`, the server's word) unless
    /// `[store] actor = "env"` lets the client name itself.
    public let actorSource: TeamActorSource
    let session: PostgresSession

    /// Connects and checks the schema: a store behind this triage's is refused, naming the command
    /// that upgrades it.
    public init(session: PostgresSession, registry: GroupTypeRegistry = .builtIn, settings: EngineSettings = EngineSettings(),
                clock: any TriageClock = SystemClock(), actorSource: TeamActorSource = .role) throws(PostgresFailure) {
        // A session still waiting for the server checks the schema itself once it connects.
        if !session.checksSchemaOnConnect { try PostgresSchema.check(session) }
        self.session = session
        self.actorSource = actorSource
        self.registry = registry
        self.settings = settings
        self.clock = clock
    }

    /// Whether the store's connection is open (false while a store opened during an outage waits for the server).
    public var isConnected: Bool { !session.isClosed }

    /// The role this store logs in as: the one the server authenticates (`current_user`) unless a
    /// login setting changes it, so a screen opened during an outage can name `me` before it connects.
    public var loginRole: String { session.location.user }

    /// The role the server authenticated this session as (`current_user`).
    public func authenticatedRole() throws(PostgresFailure) -> String {
        try session.query("SELECT current_user AS role").first?.get("role") ?? ""
    }

    /// The server is reachable again (the change feed got through): the next call reconnects at once
    /// rather than waiting out the session's pause between attempts.
    public func serverIsBack() { session.retryNow() }

    /// The SQL that records an actor, and its bindings: `current_user` (nothing bound) for the role,
    /// else the name the caller gives.
    func recordedActor(_ given: String?) -> (sql: String, values: [DatabaseValue]) {
        switch actorSource {
        case .role: return ("current_user", [])
        case .env: return ("?", [given.databaseValue])
        }
    }

    /// The name `recorded` writes into a row, as the server sees it (the role, unless `[store] actor = "env"`).
    func recordedName(_ recorded: (sql: String, values: [DatabaseValue]), given: String,
                      in transaction: PostgresSession.Transaction) throws -> String {
        try transaction.query("SELECT \(recorded.sql)::text AS name", recorded.values).first?.get("name") ?? given
    }

    static let groupColumns = """
        id, project_id, fingerprint, type_id, title, subtitle, culprit, level, status, substatus, priority,
        first_seen, last_seen, times_seen, important_name, important_value, assignee, priority_locked
        """

    /// A group from a row of `groupColumns`, as lenient as `Group.init(row:)`.
    static func group(_ record: PostgresRecord) -> Group {
        let status = record.get("status").flatMap(GroupStatus.init(rawValue:)) ?? .unresolved
        let substatus = record.get("substatus").flatMap(GroupSubstatus.init(rawValue:))
        let importantName: String? = record.get("important_name")
        return Group(id: record.get("id") ?? 0, projectID: record.get("project_id") ?? 0, fingerprint: record.get("fingerprint") ?? "",
                     typeID: record.get("type_id") ?? 0, title: record.get("title") ?? "", subtitle: record.get("subtitle") ?? "",
                     culprit: record.get("culprit") ?? "", level: record.get("level").flatMap(Level.init(rawValue:)) ?? .info,
                     state: GroupState(status: status, substatus: substatus) ?? .ongoing, priority: record.get("priority") ?? Priority.medium,
                     priorityLocked: record.get("priority_locked") ?? false, firstSeen: record.get("first_seen") ?? 0,
                     lastSeen: record.get("last_seen") ?? 0, timesSeen: record.get("times_seen") ?? 0,
                     importantEvidence: importantName.map { EvidenceRow(name: $0, value: record.get("important_value") ?? "", important: true) },
                     assignee: record.get("assignee"))
    }

    /// Groups matching a condition, in `orderBy` order.
    static func select(where condition: String, orderBy: String? = nil) -> String {
        "SELECT \(groupColumns) FROM groups WHERE \(condition)" + (orderBy.map { " ORDER BY \($0)" } ?? "")
    }

    func fetchGroup(_ query: (String, [DatabaseValue]) throws(PostgresFailure) -> [PostgresRecord], id: Int64) throws(PostgresFailure) -> Group? {
        try query(Self.select(where: "id = ?"), [id.databaseValue]).first.map(Self.group)
    }

    func whereClause(_ query: GroupQuery) -> (sql: String, values: [DatabaseValue]) {
        QuerySQL(registry: registry, now: clock.now(), flags: settings.flags, dialect: .postgres).clause(query)
    }
}
