import GRDB

/// Keeps each group's newest occurrences and removes older ones (`[store] keep_occurrences`,
/// default 100), so a store's size follows its groups rather than its traffic. Counts stay whole:
/// times_seen, hourly counts and users are kept apart from the occurrence rows.
///
/// A removed occurrence's id stays in `occurrence_ids`: a producer re-sending it is told it is a
/// duplicate, as before, instead of being counted twice.
///
/// Removal waits until the groups over their limit hold `pruneEvery` extra occurrences, or the ingest
/// pass ends. Pruning at every commit cost a third of ingest throughput (deletes are spread over
/// the whole table, so each commit rewrote most of its pages); in one go each page is written once.
/// The groups waiting are noted in the store (`retention_pending`), so a killed pass loses none.
final class OccurrenceRetention {
    let keep: Int
    static let pruneEvery = 100_000
    /// Occurrences over the limit noted since the last prune (an estimate: a group noted twice counts twice).
    private var excess = 0
    private(set) var hasNoted: Bool
    private let noteGroup: RawStatement

    init(_ db: Database, keep: Int) throws {
        self.keep = keep
        hasNoted = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM retention_pending)") ?? false
        noteGroup = try RawStatement(db, "INSERT INTO retention_pending (group_id) VALUES (?1) ON CONFLICT DO NOTHING")
    }

    /// Notes a group's count of kept occurrences after a flush; prunes once enough are over the limit.
    func noteKept(_ db: Database, groupID: Int64, kept: Int) throws {
        guard kept > keep else { return }
        noteGroup.bind(1, groupID)
        _ = try noteGroup.execute()
        hasNoted = true
        excess += kept - keep
        if excess >= Self.pruneEvery { try pruneNoted(db) }
    }

    /// Prunes every group noted and not yet pruned (the ingest pass calls this before its last commit).
    func pruneNoted(_ db: Database) throws {
        for groupID in try Int64.fetchAll(db, sql: "SELECT group_id FROM retention_pending ORDER BY group_id") {
            try prune(db, groupID: groupID)
        }
        try db.execute(sql: "DELETE FROM retention_pending")
        hasNoted = false
        excess = 0
    }

    /// How many of its newest occurrences the group keeps: `keep`, or the count its ignore condition
    /// waits for, if more (a group ignored until 500 occurrences in an hour must be able to count them).
    func limit(_ db: Database, groupID: Int64) throws -> Int {
        let waitingFor = try Int.fetchOne(db.cachedStatement(sql: "SELECT count FROM ignore_conditions WHERE group_id = ?"),
                                          arguments: [groupID]) ?? 0
        return max(keep, waitingFor)
    }

    /// Removes the group's occurrences beyond its `limit`.
    private func prune(_ db: Database, groupID: Int64) throws {
        try db.cachedStatement(sql: """
            DELETE FROM occurrences WHERE seq IN (
                SELECT seq FROM occurrences WHERE group_id = ? ORDER BY detection_time DESC, seq DESC LIMIT -1 OFFSET ?
            )
            """).execute(arguments: [groupID, try limit(db, groupID: groupID)])
        let removed = db.changesCount
        guard removed > 0 else { return }
        try db.cachedStatement(sql: "UPDATE groups SET retired = retired + ? WHERE id = ?").execute(arguments: [removed, groupID])
    }
}
