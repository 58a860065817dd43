import TriageEngine
import TriagePostgres

/// The store a TUI shows: a SQLite file (which it may also follow a spool into), or the team store,
/// read and written on connections of their own and kept live by its change feed.
enum TuiStore {
    case local(SQLiteStore)
    case team(reader: PostgresStore, writer: PostgresStore, feed: PostgresChangeFeed)

    /// Connects twice (the screen's reads, the runner's writes) and prepares the feed, not started.
    /// A server that is away opens the screen anyway, connecting once the feed reaches it; a refused
    /// login throws, as waiting will not change it.
    static func connect(_ location: PostgresLocation, config: TriageConfig) throws -> TuiStore {
        .team(reader: try StoreTarget.openTeam(location, config: config, waitingForServer: true),
              writer: try StoreTarget.openTeam(location, config: config, waitingForServer: true),
              feed: PostgresChangeFeed(location: location, password: try StoreTarget.password(config)))
    }

    /// Whether the screen can read now (false while a team store opened during an outage waits for its server).
    var isConnected: Bool {
        if case let .team(reader, _, _) = self { return reader.isConnected }
        return true
    }

    /// What the screen reads (and where counters are kept).
    var reader: any IssueStore & MetricsStore {
        switch self {
        case let .local(store): return store
        case let .team(reader, _, _): return reader
        }
    }

    /// Where the runner's jobs write.
    var writer: any IssueStore {
        switch self {
        case let .local(store): return store
        case let .team(_, writer, _): return writer
        }
    }

    /// Where the counters this UI counts are added to the store's totals: beside the writes, never on the screen's reads.
    var counters: any MetricsStore {
        switch self {
        case let .local(store): return store
        case let .team(_, writer, _): return writer
        }
    }

    /// The SQLite file, which a follower ingests into and a courier delivers from.
    var local: SQLiteStore? {
        if case let .local(store) = self { return store }
        return nil
    }

    /// The feed reached the server again: the next read or write reconnects at once.
    func serverIsBack() {
        guard case let .team(reader, writer, _) = self else { return }
        reader.serverIsBack()
        writer.serverIsBack()
    }

    var feed: PostgresChangeFeed? {
        if case let .team(_, _, feed) = self { return feed }
        return nil
    }
}
