/// What the ingest writer asks of a store while it applies payloads: one session per ingest pass,
/// on one connection, holding at most one open batch (a transaction) at a time.
///
/// The contract, for every implementation:
/// - Everything between `begin()` and `commit()` is one atomic batch: occurrence rows, group
///   counters, the history entries and notifications they cause, and the ledger's record of how far
///   each spool file got (`IngestLedgerRecords`). `rollback()`, or a crash, leaves none of it.
/// - Calls see the batch's own earlier calls: a group created is found, an id claimed is claimed.
/// - Rows and group counters already arrive in bulk (`insertOccurrences`, `writeCounts`, one call
///   per flush); an implementation with round trips may defer any other write until `commit()` or
///   the next call whose answer depends on it.
/// - Several ingesters may share a store (SQLite's single writer never does): `claim` is decided by
///   the store atomically (a unique key), never by a read and then a write; group and sequence
///   numbers are the store's to assign; nothing here may assume the batch's reads stay true after
///   it commits.
///
/// Failures are thrown as the store's own errors; `IngestStore.blamesThePayload` says which of them
/// a payload's values caused (the pass refuses that payload and runs again).
package protocol IngestSession: AnyObject, IgnoreConditionCounts, IngestLedgerRecords {
    // MARK: The batch

    /// Opens a batch; the writer's clock is read after it, so a batch never stamps an earlier time.
    func begin() throws
    func commit() throws
    func rollback() throws

    // MARK: Occurrences

    /// Claims an occurrence id for good; false when it was claimed before, by any ingester and in
    /// any batch, even if retention has removed its row since (a re-sent payload stays a duplicate).
    func claim(_ id: UUIDBytes) throws -> Bool
    /// Whether the writer should claim a decoded batch's ids at once (`claim(_ ids:)`) before
    /// applying it: for a store a round trip away. False by default.
    var claimsInBulk: Bool { get }
    /// Claims `ids` as `claim` does, in one go; whether each was claimed (an id twice: the first).
    func claim(_ ids: [UUIDBytes]) throws -> [Bool]
    /// Gives back ids this batch claimed in bulk that no occurrence was stored under (refused, or not
    /// reached before the commit); the writer calls it before every commit. Only with `claimsInBulk`.
    func unclaim(_ ids: [UUIDBytes]) throws
    /// Inserts the grouped rows at `positions` of `rows`, in that order; returns the sequence number
    /// the store gave each (increasing in insertion order), in the same order.
    func insertOccurrences(_ rows: [OccurrenceRow], at positions: [Int]) throws -> [Int64]
    /// Inserts a row held below its type's noise limit: no group, its noise window set.
    func hold(_ row: OccurrenceRow) throws
    /// Attaches the rows held in `window` to `groupID`; returns them with their payloads as received.
    func releaseHeld(_ window: NoiseWindow, into groupID: Int64) throws -> [HeldOccurrence]
    /// The key's noise window, created empty if the key has none.
    func noiseWindow(for key: GroupKey, typeID: Int) throws -> NoiseWindow
    func saveNoiseWindow(_ window: NoiseWindow) throws

    // MARK: Payload dictionaries

    /// The newest dictionary payloads are compressed with, if the store has one.
    func newestDictionary() throws -> PayloadDictionary?
    /// Keeps a trained dictionary (in the batch: it commits with the first rows that name it).
    func storeDictionary(_ bytes: [UInt8], at now: Double) throws -> PayloadDictionary?

    // MARK: Groups

    func findGroup(_ key: GroupKey) throws -> CachedGroup?
    /// Whether the writer should look up a decoded batch's grouping keys at once (`findGroups`)
    /// before applying it: for a store a round trip away. False by default.
    var findsInBulk: Bool { get }
    /// The groups of those `keys` the store has, in one go.
    func findGroups(_ keys: [GroupKey]) throws -> [GroupKey: CachedGroup]
    /// Creates a group UNRESOLVED/NEW, seen 0 times, with its first history entry (cause
    /// `occurrence:new_group`) and, when `postProcessed`, a new-group notification; returns its id.
    func createGroup(_ group: NewGroup, at now: Double) throws -> Int64
    /// Whether the writer should create a decoded batch's new groups at once (`createGroups`)
    /// before applying it: for a store a round trip away. False by default.
    var createsInBulk: Bool { get }
    /// `createGroup` for each of `groups` (distinct keys) in one go: each one's id, and whether this
    /// call made it (false: another ingester had); nil, having made none, when the store refuses one
    /// of their values (the payloads are then applied one by one, which finds the one at fault).
    func createGroups(_ groups: [NewGroup], at now: Double) throws -> [(id: Int64, made: Bool)]?
    /// Removes groups made by `createGroups` that no occurrence joined, with their history entry
    /// and notification: a commit in mid-batch must not publish groups seen 0 times.
    func withdrawGroups(_ ids: [Int64]) throws
    /// Adds each group's counts, hours and users and takes its latest fields where its newest
    /// occurrence is newer than what it has; returns each group's standing after that, in order
    /// (nil for a group no longer in the store).
    func writeCounts(_ counts: [GroupCounts]) throws -> [GroupStanding?]
    func groupState(_ groupID: Int64) throws -> GroupState
    /// `GroupTransition`'s regression (RESOLVED → UNRESOLVED/REGRESSED, cause `rule:regression`),
    /// if the group is still resolved; false if it is not.
    func regress(_ groupID: Int64, at now: Double) throws -> Bool
    func apply(_ transition: GroupTransition, at now: Double) throws
    func ignoreSnapshot(of groupID: Int64) throws -> IgnoreSnapshot?
    /// Occurrences per hour of the group, for the hours in `hours` that have any.
    func hourlyCounts(of groupID: Int64, hours: ClosedRange<Int64>) throws -> [Int64: Int]
    func notify(_ groupID: Int64, _ reason: NotificationReason, detail: String?, at now: Double) throws
    /// Makes the groups created or retitled since the last call findable by free text (end of a flush).
    func indexSearchText() throws

    // MARK: Retention (`[store] keep_occurrences`)

    /// How many of its newest occurrences the group keeps (nil: all of them).
    func retentionLimit(of groupID: Int64) throws -> Int?
    /// Notes a group's count of kept occurrences after its counts were written; may prune.
    func noteKept(_ groupID: Int64, kept: Int) throws
    /// Whether groups noted over their limit wait for `pruneNoted`.
    var holdsOccurrencesToPrune: Bool { get }
    /// Removes what retention holds back from every group noted (the pass's last batch).
    func pruneNoted() throws
}

extension IngestSession {
    package var claimsInBulk: Bool { false }
    package func claim(_ ids: [UUIDBytes]) throws -> [Bool] { try ids.map { try claim($0) } }
    package func unclaim(_ ids: [UUIDBytes]) throws {}
    package var findsInBulk: Bool { false }
    package var createsInBulk: Bool { false }
    package func createGroups(_ groups: [NewGroup], at now: Double) throws -> [(id: Int64, made: Bool)]? {
        try groups.map { (try createGroup($0, at: now), true) }
    }
    package func withdrawGroups(_ ids: [Int64]) throws {
        precondition(ids.isEmpty, "only a store that createsInBulk withdraws groups")
    }
    package func findGroups(_ keys: [GroupKey]) throws -> [GroupKey: CachedGroup] {
        var found: [GroupKey: CachedGroup] = [:]
        for key in keys { found[key] = try findGroup(key) }
        return found
    }
}

/// A group about to be created from its first occurrence; the rest of the row is its defaults.
package struct NewGroup {
    package let occurrence: Occurrence
    package let priority: Int
    /// `SearchText.fold` of the occurrence's headline.
    package let searchText: String
    /// Whether its type may be post-processed in its project (notified, and marked so).
    package let postProcessed: Bool
}

/// One group's share of a flush.
package struct GroupCounts {
    package let groupID: Int64
    package let update: PendingGroupUpdate
    /// The priority the newest occurrence names (`initial_issue_priority`); nil when it names none,
    /// which leaves the group's. The store keeps a priority set by hand either way.
    package let priority: Int?
    package let searchText: String
    /// When the group was created in this batch since the last flush: its row is then known
    /// without reading it (UNRESOLVED/NEW, seen 0 times, first seen then).
    package let createdAt: Double?
}

/// A group after its counts were written: what the rules occurrences trigger look at.
package struct GroupStanding {
    package let status: GroupStatus?
    package let substatus: GroupSubstatus?
    package let timesSeen: Int
    package let firstSeen: Double
    /// Occurrences counted but no longer stored (`retired`).
    package let retired: Int

    package init(status: GroupStatus?, substatus: GroupSubstatus?, timesSeen: Int, firstSeen: Double, retired: Int) {
        self.status = status
        self.substatus = substatus
        self.timesSeen = timesSeen
        self.firstSeen = firstSeen
        self.retired = retired
    }
}

/// A held occurrence attached to the group its key formed.
package struct HeldOccurrence {
    package let seq: Int64
    /// The payload as received.
    package let payload: [UInt8]

    package init(seq: Int64, payload: [UInt8]) {
        self.seq = seq
        self.payload = payload
    }
}

/// The ingest ledger's side of a session: how far each spool file got, what it refused, and the
/// files a batch finished, all written in the batch whose rows they account for.
package protocol IngestLedgerRecords {
    /// The file's entry, if it has one. An entry left for a file that moved out and came back (same
    /// name, inode, size and modification time; another change time) is forgotten: nil.
    func ledgerEntry(_ name: SpoolName, _ identity: FileIdentity) throws -> LedgerEntry?
    /// Writes the entry now if it has not been written yet; returns its id.
    func claimLedgerEntry(_ entry: inout LedgerEntry, at now: Double) throws -> Int64
    func saveLedgerEntry(_ entry: inout LedgerEntry, at now: Double, finished: Bool) throws
    func recordRejection(fileID: Int64, line: Int?, offset: Int64, length: Int, field: String?, reason: String) throws
    func rejections(fileID: Int64) throws -> [Rejection]
    /// Records, in the batch, the files it finished that have no entry (`PendingMoves`); returns
    /// the record's id.
    func recordMoves(_ files: [FinishedFile], of spool: SpoolIdentity) throws -> Int64
    /// Forgets the entries and move records of files that have left the spool, in a batch of its own.
    func forgetMoved(entries: [Int64], moveRecords: [Int64]) throws
}
