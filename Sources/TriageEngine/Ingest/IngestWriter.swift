import Foundation
import GRDB

/// What became of one occurrence.
enum OccurrenceOutcome: Equatable {
    /// Stored on its group; `releasedHeld` counts the noise-held occurrences attached with it.
    case grouped(createdGroup: Bool, releasedHeld: Int)
    /// Stored, but held below its type's noise limit.
    case held
    case duplicate
    case rejected(PayloadError)
}

/// What became of one status-change payload.
enum StatusChangeOutcome: Equatable {
    case changed
    case unchanged
    case rejected(PayloadError)
}

/// Applies validated payloads to the store inside one write transaction.
///
/// Per occurrence the common case costs one INSERT at once, its id into `occurrence_ids` (which is
/// what deduplicates, retired ids included), and its row at `flush()`, unless retention would remove
/// it (`StagedRows`). Group counters, times and "latest" fields are accumulated in memory and
/// written once per group in `flush()`, which the caller runs before committing. Grouping keys are
/// cached across transactions: a key's group id and type never change once created, so the cache
/// cannot go stale.
final class IngestWriter {
    private let db: Database
    private let registry: GroupTypeRegistry
    private let decoder: PayloadDecoder
    private let cache: GroupKeyCache
    /// The time recorded for transitions and notifications: the clock at the start of the current
    /// transaction (a long pass must not stamp later changes with its start time).
    private(set) var now: Double
    private let settings: EngineSettings
    private var pending: [Int64: PendingGroupUpdate] = [:]
    /// Groups created since the last flush, with their creating occurrence's time: their row is
    /// known without reading it back (UNRESOLVED/NEW, seen 0 times), and the search index already
    /// has them noted as new.
    private var createdSinceFlush: [Int64: Double] = [:]
    /// Transitions new occurrences caused, for the pass's summary.
    private(set) var regressions = 0
    private(set) var escalations = 0
    private var staged = StagedRows()
    /// Staged payload bytes past which the writer flushes before the commit (`IngestMemory`).
    private let stagedBytes: Int
    private let payloads: PayloadDecompressor
    /// Compresses stored payloads once the store has a dictionary; until then payloads are stored
    /// verbatim and the first ones are kept as samples to train it.
    private var compressor: PayloadCompressor?
    private var samples: [[UInt8]] = []
    private var sampleBytes = 0
    private var trainingFailed = false
    /// Told of a dictionary as soon as it is trained, so rows prepared off this thread use it from
    /// then on (if the transaction rolls back, rows naming it are stored verbatim, see `row`).
    var trained: ((PayloadDictionary) -> Void)?
    private let retention: OccurrenceRetention?

    private let claimID: RawStatement
    private let insertOccurrence: RawStatement
    private let findGroup: RawStatement
    private let insertGroup: RawStatement
    private let readGroup: RawStatement
    private let noteRetitled: RawStatement
    private let noteNewGroup: RawStatement
    private let updateGroup: RawStatement
    private let regressGroup: RawStatement
    private let countHour: RawStatement
    private let noteUser: RawStatement
    // A new group's history entry and notification, bound directly: through GRDB they were a third
    // of creating a group.
    private let recordNewGroup: RawStatement
    private let notifyNewGroup: RawStatement
    private let noiseWindows: NoiseWindows

    /// Never backwards: a clock stepped back must not reorder a group's history.
    func advanceClock(to time: Double) { now = max(now, time) }

    init(db: Database, decoder: PayloadDecoder, cache: GroupKeyCache, now: Double,
         settings: EngineSettings = EngineSettings(), payloads: PayloadDecompressor = PayloadDecompressor(),
         stagedBytes: Int = IngestMemory.throughput.stagedBytes) throws {
        self.settings = settings
        self.stagedBytes = stagedBytes
        self.payloads = payloads
        compressor = try PayloadCompressor.newest(db)
        self.db = db
        self.registry = decoder.registry
        self.decoder = decoder
        self.cache = cache
        self.now = now
        claimID = try RawStatement(db, "INSERT INTO occurrence_ids (id) VALUES (?1) ON CONFLICT DO NOTHING")
        insertOccurrence = try RawStatement(db, """
            INSERT INTO occurrences (id, group_id, type_id, detection_time, event_id, noise_key, noise_window, payload, payload_dictionary)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        retention = try settings.keepOccurrences.map { try OccurrenceRetention(db, keep: $0) }
        findGroup = try RawStatement(db, "SELECT id, type_id FROM groups WHERE project_id = ?1 AND fingerprint = ?2")
        insertGroup = try RawStatement(db, """
            INSERT INTO groups (project_id, fingerprint, type_id, title, subtitle, culprit, level, status, substatus,
                                priority, first_seen, last_seen, times_seen, important_name, important_value, assignee, search_text,
                                substatus_since, post_processed)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, \(GroupStatus.unresolved.rawValue), \(GroupSubstatus.new.rawValue),
                    ?8, ?9, ?9, 0, ?10, ?11, ?12, ?13, ?9, ?14)
            """)
        readGroup = try RawStatement(db, """
            SELECT status, substatus, times_seen, first_seen, retired, last_seen, search_text IS ?2 FROM groups WHERE id = ?1
            """)
        // What a trigger on UPDATE OF search_text would do (FreeTextIndex). A statement that fires
        // triggers (RETURNING is one) keeps a statement journal: ~400,000 pwrites to temporary files
        // per 200,000 occurrences, as every group update journalled its pages.
        noteRetitled = try RawStatement(db, """
            INSERT INTO groups_search_pending (id, indexed_text) SELECT id, search_text FROM groups WHERE id = ?1
            ON CONFLICT (id) DO NOTHING
            """)
        noteNewGroup = try RawStatement(db, FreeTextIndex.noteNew)
        recordNewGroup = try RawStatement(db, StatusHistory.insertSQL)
        notifyNewGroup = try RawStatement(db, NotificationOutbox.insertSQL)
        noiseWindows = try NoiseWindows(db)
        // SET expressions all see the row as it was, so `?3 >= last_seen` compares with the old value.
        updateGroup = try RawStatement(db, """
            UPDATE groups SET
                times_seen = times_seen + ?1,
                first_seen = min(first_seen, ?2),
                title = CASE WHEN ?3 >= last_seen THEN ?4 ELSE title END,
                subtitle = CASE WHEN ?3 >= last_seen THEN ?5 ELSE subtitle END,
                culprit = CASE WHEN ?3 >= last_seen THEN ?6 ELSE culprit END,
                level = CASE WHEN ?3 >= last_seen THEN ?7 ELSE level END,
                priority = CASE WHEN ?3 >= last_seen AND priority_locked = 0 THEN ?8 ELSE priority END,
                important_name = CASE WHEN ?3 >= last_seen THEN ?9 ELSE important_name END,
                important_value = CASE WHEN ?3 >= last_seen THEN ?10 ELSE important_value END,
                search_text = CASE WHEN ?3 >= last_seen THEN ?11 ELSE search_text END,
                last_seen = max(last_seen, ?3),
                retired = retired + ?13
            WHERE id = ?12
            """)
        regressGroup = try RawStatement(db, GroupTransition.regressStatement)
        countHour = try RawStatement(db, """
            INSERT INTO group_hours (group_id, hour, count) VALUES (?1, ?2, ?3)
            ON CONFLICT (group_id, hour) DO UPDATE SET count = count + excluded.count
            """)
        noteUser = try RawStatement(db, """
            INSERT INTO group_users (group_id, user, first_seq, last_seq, last_seen) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (group_id, user) DO UPDATE SET
                first_seq = min(first_seq, excluded.first_seq), last_seq = max(last_seq, excluded.last_seq),
                last_seen = max(last_seen, excluded.last_seen)
            """)
    }

    // MARK: Occurrences

    /// The dictionary payloads are compressed with, for rows prepared off this thread.
    var dictionary: PayloadDictionary? { compressor?.dictionary }

    /// Still keeping samples to train a dictionary: rows prepared ahead now would be stored verbatim.
    var awaitsDictionary: Bool { compressor == nil && !trainingFailed }

    /// `prepared`: the row's bytes, if the decode queue made them (`RowPreparation`).
    func ingest(_ occurrence: Occurrence, prepared: PreparedRow? = nil) throws -> OccurrenceOutcome {
        let key = GroupKey(projectID: occurrence.projectID, fingerprint: occurrence.groupFingerprint)
        let type = registry.type(id: occurrence.typeID)!
        guard settings.flags.allows(.ingest, type: type, project: occurrence.projectID) else {
            let flag = ReleaseFlags.Gate.ingest.flag(for: type.slug)
            return .rejected(.invalidValue(field: "type", reason: "\(type.slug) (\(type.id)) is not released and its flag \(flag) is off for project \(occurrence.projectID); turn it on in [flags] or [projects.\(occurrence.projectID).flags]"))
        }
        let group = try lookUpGroup(key)
        if let group, group.typeID != occurrence.typeID { return .rejected(typeMismatch(occurrence, group: group)) }
        guard try claim(occurrence.idBytes) else { return .duplicate }
        if let group {
            try stage(occurrence, prepared, groupID: group.id)
            return .grouped(createdGroup: false, releasedHeld: 0)
        }
        if let noise = type.noiseConfig {
            return try holdOrRelease(occurrence, prepared, key: key, noise: noise, type: type)
        }
        let groupID = try createGroup(for: occurrence, type: type)
        try stage(occurrence, prepared, groupID: groupID)
        return .grouped(createdGroup: true, releasedHeld: 0)
    }

    /// Records the occurrence id; false when it was stored before (even if retention has removed it since).
    private func claim(_ id: UUIDBytes) throws -> Bool {
        id.withUnsafeBytes { claimID.bind(1, blob: $0) }
        return try claimID.execute() == 1
    }

    private func lookUpGroup(_ key: GroupKey) throws -> CachedGroup? {
        if let cached = cache[key] { return cached }
        findGroup.bind(1, key.projectID)
        findGroup.bind(2, key.fingerprint)
        guard let found = try findGroup.queryFirst({ CachedGroup(id: $0.int64(0), typeID: Int($0.int64(1))) }) else { return nil }
        cache[key] = found
        return found
    }

    private func typeMismatch(_ occurrence: Occurrence, group: CachedGroup) -> PayloadError {
        let groupSlug = registry.type(id: group.typeID)?.slug ?? "\(group.typeID)"
        return .invalidValue(field: "type", reason: "is \(occurrence.typeID) but group \(ShortID.format(projectID: occurrence.projectID, groupID: group.id)) for this fingerprint has type \(group.typeID) (\(groupSlug))")
    }

    /// The row of an occurrence whose id was claimed, its payload compressed (or kept as a sample).
    private func row(_ occurrence: Occurrence, _ prepared: PreparedRow?, groupID: Int64?, noise: (key: Int64, window: Int64)?) throws -> OccurrenceRow {
        let payload: [UInt8]
        let dictionaryID: Int64?
        if let compressor, let prepared {
            // A row prepared before the decode queue had this dictionary (or with one a rolled-back
            // pass trained) is stored verbatim: a row must name the dictionary that made it, and
            // compressing it here put zstd on the writer's thread (a fifth of it, before the
            // dictionary reached the decode queue at commit rather than at once).
            if let compressed = prepared.compressed, compressed.dictionary === compressor.dictionary {
                payload = compressed.bytes
                dictionaryID = compressor.dictionaryID
            } else {
                payload = occurrence.raw
                dictionaryID = nil
            }
        } else if let compressor {
            payload = compressor.compress(occurrence.raw) { Array($0) }
            dictionaryID = compressor.dictionaryID
        } else {
            payload = occurrence.raw
            dictionaryID = nil
            try sample(occurrence.raw)
        }
        return OccurrenceRow(id: occurrence.idBytes, groupID: groupID, typeID: occurrence.typeID,
                             detectionTime: occurrence.detectionTime, eventID: occurrence.eventIDBytes,
                             noise: noise, payload: payload, dictionaryID: dictionaryID,
                             user: occurrence.user)
    }

    /// Holds a grouped occurrence's row for the flush and counts it on its group.
    private func stage(_ occurrence: Occurrence, _ prepared: PreparedRow?, groupID: Int64) throws {
        staged.append(try row(occurrence, prepared, groupID: groupID, noise: nil))
        pendingUpdate(groupID, first: occurrence).add(occurrence)
        if staged.payloadBytes >= stagedBytes { try flush() }
    }

    /// The group's update in this transaction, begun with `first` if it has none yet.
    private func pendingUpdate(_ groupID: Int64, first: Occurrence) -> PendingGroupUpdate {
        if let update = pending[groupID] { return update }
        let update = PendingGroupUpdate(first: first)
        pending[groupID] = update
        return update
    }

    /// Inserts a row; returns its sequence number.
    private func insert(_ row: borrowing OccurrenceRow) throws -> Int64 {
        row.id.withUnsafeBytes { insertOccurrence.bind(1, blob: $0) }
        if let groupID = row.groupID { insertOccurrence.bind(2, groupID) } else { insertOccurrence.bindNull(2) }
        insertOccurrence.bind(3, row.typeID)
        insertOccurrence.bind(4, row.detectionTime)
        row.eventID.withUnsafeBytes { insertOccurrence.bind(5, blob: $0) }
        if let noise = row.noise {
            insertOccurrence.bind(6, noise.key)
            insertOccurrence.bind(7, noise.window)
        } else {
            insertOccurrence.bindNull(6)
            insertOccurrence.bindNull(7)
        }
        insertOccurrence.bind(8, blob: row.payload)
        if let dictionaryID = row.dictionaryID { insertOccurrence.bind(9, dictionaryID) } else { insertOccurrence.bindNull(9) }
        try insertOccurrence.execute()
        return insertOccurrence.lastInsertedRowID
    }

    /// Keeps a verbatim payload as a training sample; with enough of them, trains the dictionary
    /// that the payloads after it are compressed with.
    private func sample(_ payload: [UInt8]) throws {
        guard !trainingFailed else { return }
        samples.append(payload)
        sampleBytes += payload.count
        guard samples.count >= PayloadCompression.trainingSamples || sampleBytes >= PayloadCompression.trainingBytes else { return }
        compressor = try PayloadCompressor.train(db, samples: samples, at: now)
        trainingFailed = compressor == nil
        samples = []
        if let compressor { trained?(compressor.dictionary) }
    }

    private func createGroup(for occurrence: Occurrence, type: GroupType) throws -> Int64 {
        insertGroup.bind(1, occurrence.projectID)
        insertGroup.bind(2, occurrence.groupFingerprint)
        insertGroup.bind(3, occurrence.typeID)
        insertGroup.bind(4, occurrence.title)
        insertGroup.bind(5, occurrence.subtitle)
        insertGroup.bind(6, occurrence.culprit)
        insertGroup.bind(7, occurrence.level.rawValue)
        insertGroup.bind(8, occurrence.initialPriority ?? type.defaultPriority)
        insertGroup.bind(9, occurrence.detectionTime)
        insertGroup.bind(10, occurrence.importantEvidence?.name)
        insertGroup.bind(11, occurrence.importantEvidence?.value)
        insertGroup.bind(12, occurrence.assignee)
        insertGroup.bind(13, SearchText.fold(occurrence.headline))
        let postProcessed = settings.flags.allows(.postProcess, type: type, project: occurrence.projectID)
        insertGroup.bind(14, postProcessed ? 1 : 0)
        try insertGroup.execute()
        let groupID = insertGroup.lastInsertedRowID
        createdSinceFlush[groupID] = occurrence.detectionTime
        noteNewGroup.bind(1, groupID)
        try noteNewGroup.execute()
        if postProcessed {
            notifyNewGroup.bind(1, groupID)
            notifyNewGroup.bind(2, NotificationReason.newGroup.rawValue)
            notifyNewGroup.bind(3, now)
            notifyNewGroup.bindNull(4)
            try notifyNewGroup.execute()
        }
        cache[GroupKey(projectID: occurrence.projectID, fingerprint: occurrence.groupFingerprint)] =
            CachedGroup(id: groupID, typeID: occurrence.typeID)
        try recordCreation(of: groupID)
        return groupID
    }

    /// The history entry every group starts with, as `StatusHistory.record` writes it.
    private func recordCreation(of groupID: Int64) throws {
        let new = GroupState.new
        recordNewGroup.bind(1, groupID)
        recordNewGroup.bind(2, now)
        recordNewGroup.bindNull(3)
        recordNewGroup.bindNull(4)
        recordNewGroup.bind(5, new.status.rawValue)
        recordNewGroup.bind(6, new.substatus?.rawValue)
        recordNewGroup.bind(7, TransitionCause.newGroup.rawValue)
        recordNewGroup.bindNull(8)
        recordNewGroup.bindNull(9)
        try recordNewGroup.execute()
    }

    /// Counts an occurrence already in the store (a held one released) on its group.
    private func accumulate(_ occurrence: Occurrence, seq: Int64, into groupID: Int64) {
        let update = pendingUpdate(groupID, first: occurrence)
        update.add(occurrence)
        if let user = occurrence.user { update.noteUser(user, seq: seq, seen: occurrence.detectionTime) }
    }

    // MARK: Noise limits

    /// Spec §4: below the limit occurrences are held (triage keeps them, Sentry drops them); the one that
    /// reaches the limit within the sliding window creates the group and brings the window's held ones along.
    private func holdOrRelease(_ occurrence: Occurrence, _ prepared: PreparedRow?, key: GroupKey, noise: NoiseConfig, type: GroupType) throws -> OccurrenceOutcome {
        var state = try noiseWindows.load(key: key, typeID: occurrence.typeID)
        state.count(occurrence.detectionTime, expiry: noise.expiryTime)
        if state.windowCount < noise.ignoreLimit {
            try noiseWindows.save(state)
            _ = try insert(row(occurrence, prepared, groupID: nil, noise: (state.id, state.window)))
            return .held
        }
        let groupID = try createGroup(for: occurrence, type: type)
        state.groupID = groupID
        try noiseWindows.save(state)
        let released = try releaseHeld(state, into: groupID)
        try stage(occurrence, prepared, groupID: groupID)
        return .grouped(createdGroup: true, releasedHeld: released)
    }

    /// Attaches the current window's held occurrences to the new group; returns how many there were.
    private func releaseHeld(_ state: NoiseWindow, into groupID: Int64) throws -> Int {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT seq, payload, payload_dictionary FROM occurrences WHERE noise_key = ? AND noise_window = ? AND group_id IS NULL
            """), arguments: [state.id, state.window])
        for row in rows {
            let payload = try payloads.payload(db, stored: [UInt8](row["payload"] as Data), dictionaryID: row["payload_dictionary"])
            // Held rows were validated on arrival; decoding again recovers the fields the group needs.
            if case let .occurrence(held) = try? decoder.decode(payload) { accumulate(held, seq: row["seq"], into: groupID) }
        }
        try db.cachedStatement(sql: """
            UPDATE occurrences SET group_id = ?, noise_key = NULL, noise_window = NULL
            WHERE noise_key = ? AND noise_window = ? AND group_id IS NULL
            """).execute(arguments: [groupID, state.id, state.window])
        return rows.count
    }

    // MARK: Status changes

    func apply(_ change: StatusChange) throws -> StatusChangeOutcome {
        let key = GroupKey(projectID: change.projectID, fingerprint: change.fingerprint[0])
        guard let cached = try lookUpGroup(key) else {
            return .rejected(.invalidValue(field: "fingerprint", reason: "no group in project \(change.projectID) has fingerprint \(Sanitized.quote(change.fingerprint[0]))"))
        }
        // Occurrences before this payload must regress (or escalate) its group before the change
        // lands; other groups' pending counts are unaffected by it, so they wait for the flush.
        try flush(only: cached.id)
        let current = try GroupStateRow.fetch(db, groupID: cached.id)
        guard current != change.newState else { return .unchanged }
        if change.newState.substatus == .untilEscalating, registry.type(id: cached.typeID)?.enableEscalationDetection == false {
            return .rejected(.disallowedStatus(field: "new_substatus", reason: "type \(registry.type(id: cached.typeID)!.slug) has no escalation detection, so it cannot be ignored until escalating"))
        }
        try GroupTransition(groupID: cached.id, from: current, to: change.newState, cause: .payload).apply(db, at: now)
        return .changed
    }

    // MARK: Flush

    /// Writes the accumulated counters, latest fields, hourly counts and users, then applies the rules
    /// new occurrences trigger (spec §5): a resolved group regresses; an ignored one escalates when its
    /// condition trips or, ignored until escalating, when this hour beats its forecast.
    func flush() throws {
        try insertStaged()
        for (groupID, update) in pending { try write(update, to: groupID) }
        pending.removeAll(keepingCapacity: true)
        createdSinceFlush.removeAll(keepingCapacity: true)
        try FreeTextIndex.sync(db)
    }

    /// Brings one group up to date (for a status change aimed at it); the rest stay pending.
    private func flush(only groupID: Int64) throws {
        guard let update = pending[groupID] else { return }
        // Its staged rows first: their users are noted with the sequence numbers the inserts assign.
        try insertStaged(of: groupID)
        pending[groupID] = nil
        try write(update, to: groupID)
    }

    /// One group's counters, latest fields, hours and users, then the rules its new occurrences trigger.
    private func write(_ update: PendingGroupUpdate, to groupID: Int64) throws {
        let newest = update.newest
        let headline = newest.headline
        let searchText = SearchText.fold(headline)
        let before: (status: Int64, substatus: Int64?, timesSeen: Int, firstSeen: Double, retired: Int)
        if let createdAt = createdSinceFlush.removeValue(forKey: groupID) {
            before = (Int64(GroupStatus.unresolved.rawValue), Int64(GroupSubstatus.new.rawValue), 0, createdAt, 0)
        } else {
            readGroup.bind(1, groupID)
            readGroup.bind(2, searchText)
            guard let read = try readGroup.queryFirst({
                (status: $0.int64(0), substatus: $0.optionalInt64(1), timesSeen: Int($0.int64(2)), firstSeen: $0.double(3),
                 retired: Int($0.int64(4)), lastSeen: $0.double(5), sameSearchText: $0.int64(6) == 1)
            }) else { return }
            if newest.detectionTime >= read.lastSeen, !read.sameSearchText {
                noteRetitled.bind(1, groupID)
                try noteRetitled.execute()
            }
            before = (read.status, read.substatus, read.timesSeen, read.firstSeen, read.retired)
        }
        updateGroup.bind(1, update.count)
        updateGroup.bind(2, update.firstSeen)
        updateGroup.bind(3, newest.detectionTime)
        updateGroup.bind(4, headline.title)
        updateGroup.bind(5, headline.subtitle)
        updateGroup.bind(6, headline.culprit)
        updateGroup.bind(7, headline.level.rawValue)
        updateGroup.bind(8, headline.initialPriority ?? registry.type(id: newest.typeID)!.defaultPriority)
        updateGroup.bind(9, headline.importantEvidence?.name)
        updateGroup.bind(10, headline.importantEvidence?.value)
        updateGroup.bind(11, searchText)
        updateGroup.bind(12, groupID)
        updateGroup.bind(13, update.notInserted)
        try updateGroup.execute()
        let row = (status: before.status, substatus: before.substatus, timesSeen: before.timesSeen + update.count,
                   firstSeen: min(before.firstSeen, update.firstSeen), retired: before.retired + update.notInserted)
        for (hour, count) in update.hours {
            countHour.bind(1, groupID)
            countHour.bind(2, hour)
            countHour.bind(3, count)
            try countHour.execute()
        }
        for (user, seen) in update.users {
            noteUser.bind(1, groupID)
            noteUser.bind(2, user)
            noteUser.bind(3, seen.firstSeq)
            noteUser.bind(4, seen.lastSeq)
            noteUser.bind(5, seen.lastSeen)
            try noteUser.execute()
        }
        let reference = newest.detectionTime
        switch (GroupStatus(rawValue: Int(row.status)), row.substatus.flatMap { GroupSubstatus(rawValue: Int($0)) }) {
        case (.resolved?, _):
            regressGroup.bind(1, groupID)
            regressGroup.bind(2, now)
            if try regressGroup.execute() == 1 {
                try StatusHistory.record(db, groupID: groupID, from: .resolved, to: .regressed, cause: .regression, actor: nil, at: now)
                regressions += 1
                try notify(groupID, .regression, newest: newest)
            }
        case (.ignored?, .untilConditionMet?):
            guard let snapshot = try IgnoreConditionRow.snapshot(db, groupID: groupID),
                  let tripped = try IgnoreConditionCheck.trippedCondition(db, groupID: groupID, timesSeen: row.timesSeen,
                                                                           snapshot: snapshot, reference: reference)
            else { break }
            try GroupTransition(groupID: groupID, from: GroupState(status: .ignored, substatus: .untilConditionMet)!,
                                to: .escalating, cause: .escalating, detail: tripped).apply(db, at: now)
            try notify(groupID, .escalation, newest: newest, detail: tripped)
            escalations += 1
        case (.ignored?, .untilEscalating?):
            if let exceeded = try escalationCheck(groupID: groupID, firstSeen: row.firstSeen, reference: reference) {
                try GroupTransition(groupID: groupID, from: GroupState(status: .ignored, substatus: .untilEscalating)!,
                                    to: .escalating, cause: .escalating, detail: exceeded).apply(db, at: now)
                try notify(groupID, .escalation, newest: newest, detail: exceeded)
                escalations += 1
            }
        default:
            break
        }
        try retention?.noteKept(db, groupID: groupID, kept: row.timesSeen - row.retired)
    }

    /// Inserts the staged rows in arrival order, except those beyond what retention keeps of their
    /// group: those are counted (as retired at once) but never written. A skipped row's user is noted
    /// with the last sequence number this flush wrote: every ignore snapshot predates the
    /// transaction, so any number from it compares the same.
    private func insertStaged() throws {
        guard !staged.isEmpty else { return staged.removeAll() }
        try insert(staged.remaining, skipping: beyondRetention(of: staged.groups))
        staged.removeAll()
    }

    /// Inserts one group's staged rows, for a status change about to apply to it; the rest stay staged.
    private func insertStaged(of groupID: Int64) throws {
        let positions = staged.take(group: groupID)
        guard !positions.isEmpty else { return }
        try insert(positions, skipping: beyondRetention(of: [(key: groupID, value: positions)]))
    }

    /// Which staged rows (by position) retention will not keep, among `groups`' rows.
    private func beyondRetention(of groups: some Sequence<(key: Int64, value: [Int])>) throws -> [Bool] {
        var skip = [Bool](repeating: false, count: staged.rows.count)
        guard let retention else { return skip }
        for position in try staged.beyondRetention(of: groups, keep: retention.keep, limit: { try retention.limit(db, groupID: $0) }) {
            skip[position] = true
        }
        return skip
    }

    private func insert(_ positions: [Int], skipping skip: [Bool]) throws {
        // By position, the rows read in place (see `StagedRows.rows`).
        let rows = staged.rows
        var lastSeq: Int64 = 0
        for position in positions where !skip[position] {
            lastSeq = try insert(rows[position])
            if let user = rows[position].user {
                pending[rows[position].groupID!]!.noteUser(user, seq: lastSeq, seen: rows[position].detectionTime)
            }
        }
        for position in positions where skip[position] {
            let update = pending[rows[position].groupID!]!
            update.countNotInserted()
            if let user = rows[position].user { update.noteUser(user, seq: lastSeq, seen: rows[position].detectionTime) }
        }
    }

    var holdsOccurrencesToPrune: Bool { retention?.hasNoted ?? false }

    /// Removes what retention holds back from the groups over their limit; the pass calls it last.
    func pruneOccurrences() throws {
        try flush()
        try retention?.pruneNoted(db)
    }

    /// Records a notification when the group's type may be post-processed in its project.
    private func notify(_ groupID: Int64, _ reason: NotificationReason, newest: LatestFields, detail: String? = nil) throws {
        guard let type = registry.type(id: newest.typeID), settings.flags.allows(.postProcess, type: type, project: newest.projectID) else { return }
        try NotificationOutbox.record(db, groupID: groupID, reason: reason, at: now, detail: detail)
    }

    /// Nil, or why the hour of `reference` beats the group's forecast.
    private func escalationCheck(groupID: Int64, firstSeen: Double, reference: Double) throws -> String? {
        let hour = Int64((reference / 3600).rounded(.down))
        let counts = try Row.fetchAll(db.cachedStatement(sql: "SELECT hour, count FROM group_hours WHERE group_id = ? AND hour BETWEEN ? AND ?"),
                                      arguments: [groupID, hour - Int64(EscalationForecast.historyHours), hour])
        let current = counts.first { ($0["hour"] as Int64) == hour }.map { $0["count"] as Int } ?? 0
        let history = counts.filter { ($0["hour"] as Int64) != hour }.map { $0["count"] as Int }
        let forecast = EscalationForecast.forecast(history: history, groupAge: reference - firstSeen, floor: settings.lifecycle.escalationFloor)
        guard EscalationForecast.escalates(currentHour: current, forecast: forecast) else { return nil }
        return "\(current) occurrences this hour, forecast \(forecast)"
    }
}

/// Free-text search runs over title, subtitle and culprit folded once at write time, so queries can
/// use a plain substring match and still be case-insensitive beyond ASCII.
enum SearchText {
    static func fold(_ headline: OccurrenceHeadline) -> String {
        "\(headline.title)\n\(headline.subtitle)\n\(headline.culprit)".lowercased()
    }
}
