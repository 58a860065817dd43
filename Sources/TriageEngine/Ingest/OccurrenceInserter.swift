/// Holds a transaction's grouped rows until the flush and then inserts them, except those beyond
/// what retention keeps of their group: those are counted (as retired at once) but never written.
///
/// A skipped row's user is noted with the last sequence number the same insert wrote: every
/// ignore snapshot predates the transaction, so any number from it compares the same.
final class OccurrenceInserter {
    private let session: any IngestSession
    /// `[store] keep_occurrences`; nil keeps every row.
    private let keep: Int?
    private var staged = StagedRows()
    /// Staged payload bytes past which the writer flushes before the commit (`IngestMemory`).
    private let stagedBytes: Int

    init(session: any IngestSession, keep: Int?, stagedBytes: Int) {
        self.session = session
        self.keep = keep
        self.stagedBytes = stagedBytes
    }

    /// Stages a grouped row; true once the staged payloads pass `stagedBytes` (time to flush).
    func stage(_ row: OccurrenceRow) -> Bool {
        staged.append(row)
        return staged.payloadBytes >= stagedBytes
    }

    /// Inserts every staged row in arrival order, noting users and skipped rows on `updates`.
    func insertAll(noting updates: GroupUpdates) throws {
        guard !staged.isEmpty else { return staged.removeAll() }
        try insert(staged.remaining, skipping: beyondRetention(of: staged.groups), noting: updates)
        staged.removeAll()
    }

    /// Inserts one group's staged rows, for a status change about to apply to it; the rest stay staged.
    func insert(of groupID: Int64, noting updates: GroupUpdates) throws {
        let positions = staged.take(group: groupID)
        guard !positions.isEmpty else { return }
        try insert(positions, skipping: beyondRetention(of: [(key: groupID, value: positions)]), noting: updates)
    }

    /// Which staged rows (by position) retention will not keep, among `groups`' rows.
    private func beyondRetention(of groups: some Sequence<(key: Int64, value: [Int])>) throws -> [Bool] {
        var skip = [Bool](repeating: false, count: staged.rows.count)
        guard let keep else { return skip }
        for position in try staged.beyondRetention(of: groups, keep: keep, limit: { try session.retentionLimit(of: $0) ?? keep }) {
            skip[position] = true
        }
        return skip
    }

    private func insert(_ positions: [Int], skipping skip: [Bool], noting updates: GroupUpdates) throws {
        // By position, the rows read in place (see `StagedRows.rows`).
        let rows = staged.rows
        let inserting = keep == nil ? positions : positions.filter { !skip[$0] }
        let seqs = try session.insertOccurrences(rows, at: inserting)
        for (position, seq) in zip(inserting, seqs) {
            if let user = rows[position].user {
                updates[rows[position].groupID!]!.noteUser(user, seq: seq, seen: rows[position].detectionTime)
            }
        }
        let lastSeq = seqs.last ?? 0
        for position in positions where skip[position] {
            let update = updates[rows[position].groupID!]!
            update.countNotInserted()
            if let user = rows[position].user { update.noteUser(user, seq: lastSeq, seen: rows[position].detectionTime) }
        }
    }
}
