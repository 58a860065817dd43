import Foundation
import GRDB
import TriageEngine

/// `[store] keep_occurrences` in the team store: the groups a pass's flushes left over their limit
/// are noted in memory and pruned in the pass's last batch, each to its newest `limit` rows.
///
/// Noted in memory, not in a table: a killed pass forgets them, and the next occurrence of such a
/// group notes it again; counts never depend on the rows, so nothing is miscounted meanwhile.
final class PostgresRetention {
    private let session: PostgresSession
    let keep: Int
    private var noted: Set<Int64> = []

    init(_ session: PostgresSession, keep: Int) {
        self.session = session
        self.keep = keep
    }

    var hasNoted: Bool { !noted.isEmpty }

    func noteKept(_ groupID: Int64, kept: Int) {
        if kept > keep { noted.insert(groupID) }
    }

    /// After a rollback: the groups it noted may not be over their limit any more.
    func forgetNoted() { noted.removeAll() }

    /// `keep`, or the count the group's ignore condition waits for, if more.
    func limit(of groupID: Int64) throws -> Int {
        let waitingFor: Int = try session.query("SELECT count FROM ignore_conditions WHERE group_id = ?", [groupID.databaseValue])
            .first?.get("count") ?? 0
        return max(keep, waitingFor)
    }

    /// Removes each noted group's rows beyond its limit, newest by detection time then sequence kept,
    /// and counts them as retired; in id order, as every lock on groups is taken.
    func pruneNoted() throws {
        for groupID in noted.sorted() {
            try session.query("""
                WITH removed AS (
                    DELETE FROM occurrences WHERE seq IN (
                        SELECT seq FROM occurrences WHERE group_id = ? ORDER BY detection_time DESC, seq DESC OFFSET ?
                    ) RETURNING 1
                )
                UPDATE groups SET retired = retired + (SELECT count(*) FROM removed) WHERE id = ?
                """, [groupID.databaseValue, try limit(of: groupID).databaseValue, groupID.databaseValue])
        }
        noted.removeAll()
    }
}
