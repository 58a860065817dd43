import Foundation
import GRDB
import PostgresNIO
import TriageEngine

/// The ingest session's group and row writes in the team store: a flush's rows and its groups'
/// counters, hours and users each in one statement over arrays (`unnest`), so a flush costs a few
/// round trips whatever its size.
struct PostgresGroupWrites {
    let session: PostgresSession

    init(_ session: PostgresSession) { self.session = session }

    // MARK: Rows

    /// Inserts the rows at `positions`, in that order; their sequence numbers, in the same order
    /// (the identity column hands them out increasing within the statement, which inserts in
    /// `unnest`'s order).
    func insert(_ rows: [OccurrenceRow], at positions: [Int]) throws -> [Int64] {
        guard !positions.isEmpty else { return [] }
        var ids: [ByteBuffer] = [], groupIDs: [Int64] = [], typeIDs: [Int64] = [], times: [Double] = [], eventIDs: [ByteBuffer] = []
        var payloads: [ByteBuffer] = []
        ids.reserveCapacity(positions.count)
        for position in positions {
            let row = rows[position]
            ids.append(Self.buffer(row.id))
            groupIDs.append(row.groupID ?? 0)
            typeIDs.append(Int64(row.typeID))
            times.append(row.detectionTime)
            eventIDs.append(Self.buffer(row.eventID))
            payloads.append(ByteBuffer(bytes: row.payload))
        }
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(ids)
        bindings.append(groupIDs)
        bindings.append(typeIDs)
        bindings.append(times)
        bindings.append(eventIDs)
        bindings.append(payloads)
        let seqs = try session.query(numbered: """
            INSERT INTO occurrences (id, group_id, type_id, detection_time, event_id, payload)
            SELECT * FROM unnest($1::bytea[], $2::int8[], $3::int8[], $4::float8[], $5::bytea[], $6::bytea[])
            RETURNING seq
            """, bindings).compactMap { $0.get("seq") as Int64? }.sorted()
        guard seqs.count == positions.count else {
            throw PostgresFailure.server("inserted \(seqs.count) occurrence rows of \(positions.count)")
        }
        return seqs
    }

    static func buffer(_ id: UUIDBytes) -> ByteBuffer {
        id.withUnsafeBytes { ByteBuffer(bytes: $0) }
    }

    // MARK: Groups

    /// Creates the group unless another ingester has (then returns that one's id): only the insert
    /// that made the row records its first history entry and its "new issue" notification.
    func create(_ group: NewGroup, at now: Double) throws -> Int64 {
        try create([group], at: now)[0].id
    }

    /// `create` for many groups (distinct keys) in one statement, ids handed out in their order, and
    /// one more for those another ingester made first. One round trip makes the rows and, from the
    /// rows it inserted, their history entries and notifications.
    func create(_ groups: [NewGroup], at now: Double) throws -> [(id: Int64, made: Bool)] {
        guard !groups.isEmpty else { return [] }
        var projects: [Int64] = [], fingerprints: [String] = [], types: [Int64] = [], titles: [String] = [], subtitles: [String] = []
        var culprits: [String] = [], levels: [String] = [], priorities: [Int64] = [], seen: [Double] = [], hasImportant: [Bool] = []
        var importantNames: [String] = [], importantValues: [String] = [], hasAssignee: [Bool] = [], assignees: [String] = []
        var searchTexts: [String] = [], postProcessed: [Bool] = []
        for group in groups {
            let occurrence = group.occurrence
            projects.append(occurrence.projectID)
            fingerprints.append(occurrence.groupFingerprint)
            types.append(Int64(occurrence.typeID))
            titles.append(occurrence.title)
            subtitles.append(occurrence.subtitle)
            culprits.append(occurrence.culprit)
            levels.append(occurrence.level.rawValue)
            priorities.append(Int64(group.priority))
            seen.append(occurrence.detectionTime)
            hasImportant.append(occurrence.importantEvidence != nil)
            importantNames.append(occurrence.importantEvidence?.name ?? "")
            importantValues.append(occurrence.importantEvidence?.value ?? "")
            hasAssignee.append(occurrence.assignee != nil)
            assignees.append(occurrence.assignee ?? "")
            searchTexts.append(group.searchText)
            postProcessed.append(group.postProcessed)
        }
        var bindings = PostgresBindings(capacity: 19)
        bindings.append(projects)
        bindings.append(fingerprints)
        bindings.append(types)
        bindings.append(titles)
        bindings.append(subtitles)
        bindings.append(culprits)
        bindings.append(levels)
        bindings.append(priorities)
        bindings.append(seen)
        bindings.append(hasImportant)
        bindings.append(importantNames)
        bindings.append(importantValues)
        bindings.append(hasAssignee)
        bindings.append(assignees)
        bindings.append(searchTexts)
        bindings.append(postProcessed)
        bindings.append(now)
        bindings.append(TransitionCause.newGroup.rawValue)
        bindings.append(NotificationReason.newGroup.rawValue)
        let new = GroupState.new
        // As `create`, for all of them: rows another ingester's insert won get no history entry nor notification.
        var ids: [GroupKey: Int64] = [:]
        for row in try session.query(numbered: """
            WITH created AS (
                INSERT INTO groups (project_id, fingerprint, type_id, title, subtitle, culprit, level, status, substatus,
                                    priority, first_seen, last_seen, times_seen, important_name, important_value, assignee, search_text,
                                    substatus_since, post_processed)
                SELECT project_id, fingerprint, type_id, title, subtitle, culprit, level, \(new.status.rawValue), \(new.substatus!.rawValue),
                       priority, seen, seen, 0, CASE WHEN has_important THEN important_name END,
                       CASE WHEN has_important THEN important_value END, CASE WHEN has_assignee THEN assignee END, search_text,
                       seen, post_processed
                FROM unnest($1::int8[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[],
                            $9::float8[], $10::bool[], $11::text[], $12::text[], $13::bool[], $14::text[], $15::text[], $16::bool[])
                    WITH ORDINALITY AS n(project_id, fingerprint, type_id, title, subtitle, culprit, level, priority, seen, has_important,
                                         important_name, important_value, has_assignee, assignee, search_text, post_processed, position)
                ORDER BY position
                ON CONFLICT (project_id, fingerprint) DO NOTHING
                RETURNING id, project_id, fingerprint, post_processed
            ), history AS (
                INSERT INTO status_history (group_id, at, from_status, from_substatus, to_status, to_substatus, cause, actor, detail)
                SELECT id, $17, NULL, NULL, \(new.status.rawValue), \(new.substatus!.rawValue), $18, NULL, NULL FROM created ORDER BY id
            ), notified AS (
                INSERT INTO notifications (group_id, reason, at, detail) SELECT id, $19, $17, NULL FROM created WHERE post_processed ORDER BY id
            )
            SELECT id, project_id, fingerprint FROM created
            """, bindings) {
            guard let project: Int64 = row.get("project_id"), let fingerprint: String = row.get("fingerprint"), let id: Int64 = row.get("id")
            else { continue }
            ids[GroupKey(projectID: project, fingerprint: fingerprint)] = id
        }
        let keys = groups.map(\.occurrence.groupKey)
        let theirs = ids.count == keys.count ? [:] : try find(keys.filter { ids[$0] == nil })
        return try keys.map { key in
            if let id = ids[key] { return (id, true) }
            guard let group = theirs[key] else { throw PostgresFailure.server("group \(key.fingerprint) was neither created nor found") }
            return (group.id, false)
        }
    }

    /// Removes groups `create` made that nothing joined, with the history entry and notification
    /// it gave them (nothing else refers to them yet).
    func withdraw(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids)
        try session.query(numbered: """
            WITH history AS (DELETE FROM status_history WHERE group_id = ANY($1)),
                 notified AS (DELETE FROM notifications WHERE group_id = ANY($1))
            DELETE FROM groups WHERE id = ANY($1)
            """, bindings)
    }

    /// The groups of `keys` the store has, in one statement.
    func find(_ keys: [GroupKey]) throws -> [GroupKey: CachedGroup] {
        guard !keys.isEmpty else { return [:] }
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(keys.map(\.projectID))
        bindings.append(keys.map(\.fingerprint))
        var found: [GroupKey: CachedGroup] = [:]
        for row in try session.query(numbered: """
            SELECT g.project_id, g.fingerprint, g.id, g.type_id
            FROM unnest($1::int8[], $2::text[]) AS k(project_id, fingerprint)
            JOIN groups g ON g.project_id = k.project_id AND g.fingerprint = k.fingerprint
            """, bindings) {
            guard let project: Int64 = row.get("project_id"), let fingerprint: String = row.get("fingerprint") else { continue }
            found[GroupKey(projectID: project, fingerprint: fingerprint)] = CachedGroup(id: row.get("id") ?? 0, typeID: row.get("type_id") ?? 0)
        }
        return found
    }

    /// Adds each group's counts, hours and users, and takes its latest fields where its newest
    /// occurrence is newer; the groups' rows are locked in id order first (two ingesters never wait
    /// on each other in a cycle) and stay locked to the commit, so the rules that follow decide once.
    func write(_ counts: [GroupCounts]) throws -> [GroupStanding?] {
        guard !counts.isEmpty else { return [] }
        let ordered = counts.sorted { $0.groupID < $1.groupID }
        var lockIDs = PostgresBindings(capacity: 1)
        lockIDs.append(ordered.map(\.groupID))
        try session.query(numbered: "SELECT id FROM groups WHERE id = ANY($1) ORDER BY id FOR UPDATE", lockIDs)
        let standings = try updateGroups(ordered)
        try countHours(ordered)
        try noteUsers(ordered)
        return counts.map { standings[$0.groupID] }
    }

    private func updateGroups(_ counts: [GroupCounts]) throws -> [Int64: GroupStanding] {
        var ids: [Int64] = [], added: [Int64] = [], firstSeen: [Double] = [], newest: [Double] = [], titles: [String] = []
        var subtitles: [String] = [], culprits: [String] = [], levels: [String] = [], priorities: [Int64] = [], hasImportant: [Bool] = []
        var importantNames: [String] = [], importantValues: [String] = [], searchTexts: [String] = [], retired: [Int64] = []
        for group in counts {
            let update = group.update
            let headline = update.newest.headline
            ids.append(group.groupID)
            added.append(Int64(update.count))
            firstSeen.append(update.firstSeen)
            newest.append(update.newest.detectionTime)
            titles.append(headline.title)
            subtitles.append(headline.subtitle)
            culprits.append(headline.culprit)
            levels.append(headline.level.rawValue)
            // -1: the occurrence names no priority (an array of optionals does not bind).
            priorities.append(Int64(group.priority ?? -1))
            hasImportant.append(headline.importantEvidence != nil)
            importantNames.append(headline.importantEvidence?.name ?? "")
            importantValues.append(headline.importantEvidence?.value ?? "")
            searchTexts.append(group.searchText)
            retired.append(Int64(update.notInserted))
        }
        var bindings = PostgresBindings(capacity: 14)
        bindings.append(ids)
        bindings.append(added)
        bindings.append(firstSeen)
        bindings.append(newest)
        bindings.append(titles)
        bindings.append(subtitles)
        bindings.append(culprits)
        bindings.append(levels)
        bindings.append(priorities)
        bindings.append(hasImportant)
        bindings.append(importantNames)
        bindings.append(importantValues)
        bindings.append(searchTexts)
        bindings.append(retired)
        // SET expressions all see the row as it was; RETURNING sees it after.
        let rows = try session.query(numbered: """
            UPDATE groups g SET
                times_seen = g.times_seen + u.added,
                first_seen = least(g.first_seen, u.first_seen),
                title = CASE WHEN u.newest >= g.last_seen THEN u.title ELSE g.title END,
                subtitle = CASE WHEN u.newest >= g.last_seen THEN u.subtitle ELSE g.subtitle END,
                culprit = CASE WHEN u.newest >= g.last_seen THEN u.culprit ELSE g.culprit END,
                level = CASE WHEN u.newest >= g.last_seen THEN u.level ELSE g.level END,
                priority = CASE WHEN u.newest >= g.last_seen AND NOT g.priority_locked AND u.priority >= 0 THEN u.priority ELSE g.priority END,
                important_name = CASE WHEN u.newest >= g.last_seen THEN CASE WHEN u.has_important THEN u.important_name END
                                      ELSE g.important_name END,
                important_value = CASE WHEN u.newest >= g.last_seen THEN CASE WHEN u.has_important THEN u.important_value END
                                       ELSE g.important_value END,
                search_text = CASE WHEN u.newest >= g.last_seen THEN u.search_text ELSE g.search_text END,
                last_seen = greatest(g.last_seen, u.newest),
                retired = g.retired + u.retired
            FROM unnest($1::int8[], $2::int8[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::int8[], $10::bool[], $11::text[], $12::text[], $13::text[], $14::int8[])
                AS u(id, added, first_seen, newest, title, subtitle, culprit, level, priority, has_important, important_name,
                     important_value, search_text, retired)
            WHERE g.id = u.id
            RETURNING g.id, g.status, g.substatus, g.times_seen, g.first_seen, g.retired
            """, bindings)
        var standings: [Int64: GroupStanding] = [:]
        for row in rows {
            guard let id: Int64 = row.get("id") else { continue }
            standings[id] = GroupStanding(status: row.get("status").flatMap(GroupStatus.init(rawValue:)),
                                          substatus: row.get("substatus").flatMap(GroupSubstatus.init(rawValue:)),
                                          timesSeen: row.get("times_seen") ?? 0, firstSeen: row.get("first_seen") ?? 0,
                                          retired: row.get("retired") ?? 0)
        }
        return standings
    }

    private func countHours(_ counts: [GroupCounts]) throws {
        var groupIDs: [Int64] = [], hours: [Int64] = [], added: [Int64] = []
        for group in counts {
            for (hour, count) in group.update.hours.sorted(by: { $0.key < $1.key }) {
                groupIDs.append(group.groupID)
                hours.append(hour)
                added.append(Int64(count))
            }
        }
        guard !groupIDs.isEmpty else { return }
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(groupIDs)
        bindings.append(hours)
        bindings.append(added)
        try session.query(numbered: """
            INSERT INTO group_hours (group_id, hour, count) SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[])
            ON CONFLICT (group_id, hour) DO UPDATE SET count = group_hours.count + excluded.count
            """, bindings)
    }

    private func noteUsers(_ counts: [GroupCounts]) throws {
        var groupIDs: [Int64] = [], users: [String] = [], firstSeqs: [Int64] = [], lastSeqs: [Int64] = [], lastSeen: [Double] = []
        for group in counts {
            for (user, seen) in group.update.users.sorted(by: { $0.key < $1.key }) {
                groupIDs.append(group.groupID)
                users.append(user)
                firstSeqs.append(seen.firstSeq)
                lastSeqs.append(seen.lastSeq)
                lastSeen.append(seen.lastSeen)
            }
        }
        guard !groupIDs.isEmpty else { return }
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(groupIDs)
        bindings.append(users)
        bindings.append(firstSeqs)
        bindings.append(lastSeqs)
        bindings.append(lastSeen)
        try session.query(numbered: """
            INSERT INTO group_users (group_id, "user", first_seq, last_seq, last_seen)
            SELECT * FROM unnest($1::int8[], $2::text[], $3::int8[], $4::int8[], $5::float8[])
            ON CONFLICT (group_id, "user") DO UPDATE SET
                first_seq = least(group_users.first_seq, excluded.first_seq), last_seq = greatest(group_users.last_seq, excluded.last_seq),
                last_seen = greatest(group_users.last_seen, excluded.last_seen)
            """, bindings)
    }

    /// RESOLVED → UNRESOLVED/REGRESSED with its history entry, in one statement, if the group is
    /// still resolved (its row is locked since its counts were written).
    func regress(_ groupID: Int64, at now: Double) throws -> Bool {
        let sinceSQL = GroupState.regressed.restartsOngoingClock ? "?" : "substatus_since"
        var values = [GroupStatus.unresolved.rawValue.databaseValue, GroupSubstatus.regressed.rawValue.databaseValue]
        if GroupState.regressed.restartsOngoingClock { values.append(now.databaseValue) }
        values += [groupID.databaseValue, GroupStatus.resolved.rawValue.databaseValue]
        let history: [DatabaseValue] = [now.databaseValue, GroupStatus.resolved.rawValue.databaseValue,
                                        GroupState.regressed.status.rawValue.databaseValue,
                                        GroupState.regressed.substatus?.rawValue.databaseValue ?? .null,
                                        TransitionCause.regression.rawValue.databaseValue]
        return try !session.query("""
            WITH regressed AS (
                UPDATE groups SET status = ?, substatus = ?, substatus_since = \(sinceSQL) WHERE id = ? AND status = ? RETURNING id
            )
            INSERT INTO status_history (group_id, at, from_status, from_substatus, to_status, to_substatus, cause, actor, detail)
            SELECT id, ?, ?, NULL, ?, ?, ?, NULL, NULL FROM regressed
            RETURNING group_id
            """, values + history).isEmpty
    }
}
