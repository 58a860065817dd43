import GRDB

/// The `status_history` table: one row per `StatusHistoryEntry`.
enum StatusHistoryRow {
    static let insertSQL = """
        INSERT INTO status_history (group_id, at, from_status, from_substatus, to_status, to_substatus, cause, actor, detail)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        """

    static func record(_ db: Database, groupID: Int64, from: GroupState?, to: GroupState, cause: TransitionCause,
                       actor: String?, at: Double, detail: String? = nil) throws {
        // Cached: every new group records one, so ingest would otherwise prepare it thousands of times.
        try db.cachedStatement(sql: insertSQL).execute(arguments: [groupID, at, from?.status.rawValue, from?.substatus?.rawValue,
                                                                   to.status.rawValue, to.substatus?.rawValue, cause.rawValue, actor, detail])
    }

    static func entries(_ db: Database, groupID: Int64) throws -> [StatusHistoryEntry] {
        try StatusHistoryEntry.fetchAll(db, sql: "SELECT * FROM status_history WHERE group_id = ? ORDER BY id", arguments: [groupID])
    }
}

extension StatusHistoryEntry: FetchableRecord {
    /// Total over damaged rows, like `Group.init(row:)`: history must show whatever the store holds.
    public init(row: Row) {
        let from = row.lenient("from_status").flatMap(GroupStatus.init(rawValue:)).flatMap {
            GroupState(status: $0, substatus: row.lenient("from_substatus").flatMap(GroupSubstatus.init(rawValue:)))
        }
        let to = GroupState(status: row.lenient("to_status").flatMap(GroupStatus.init(rawValue:)) ?? .unresolved,
                            substatus: row.lenient("to_substatus").flatMap(GroupSubstatus.init(rawValue:))) ?? .ongoing
        self.init(at: row.lenient("at") ?? 0, from: from, to: to, cause: row.lenient("cause") ?? "unknown",
                  actor: row.lenient("actor"), detail: row.lenient("detail"))
    }
}
