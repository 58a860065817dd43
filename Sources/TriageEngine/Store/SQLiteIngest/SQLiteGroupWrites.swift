import GRDB

/// The ingest session's group statements, prepared once per pass and bound directly: creating a
/// group and writing a flush's counters run once per new or touched group.
final class SQLiteGroupWrites {
    private let db: Database
    private let findGroup: RawStatement
    private let insertGroup: RawStatement
    private let readGroup: RawStatement
    private let noteRetitled: RawStatement
    private let updateGroup: RawStatement
    private let countFirstOccurrence: RawStatement
    private let regressGroup: RawStatement
    private let countHour: RawStatement
    private let noteUser: RawStatement
    // A new group's history entry and notification, bound directly: through GRDB they were a third
    // of creating a group.
    private let recordNewGroup: RawStatement
    private let notifyNewGroup: RawStatement

    /// Groups created since the search indexes last caught up (`FreeTextIndex.sync`).
    private var unindexed = UnindexedGroups()

    init(_ db: Database) throws {
        self.db = db
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
        // What a trigger on UPDATE OF search_text would do (FreeTextIndex): a statement that fires
        // triggers keeps a statement journal, and every group update journalled its pages.
        noteRetitled = try RawStatement(db, """
            INSERT INTO groups_search_pending (id, indexed_text) SELECT id, search_text FROM groups WHERE id = ?1
            ON CONFLICT (id) DO NOTHING
            """)
        recordNewGroup = try RawStatement(db, StatusHistoryRow.insertSQL)
        notifyNewGroup = try RawStatement(db, NotificationOutbox.insertSQL)
        // SET expressions all see the row as it was, so `?3 >= last_seen` compares with the old value.
        updateGroup = try RawStatement(db, """
            UPDATE groups SET
                times_seen = times_seen + ?1,
                first_seen = min(first_seen, ?2),
                title = CASE WHEN ?3 >= last_seen THEN ?4 ELSE title END,
                subtitle = CASE WHEN ?3 >= last_seen THEN ?5 ELSE subtitle END,
                culprit = CASE WHEN ?3 >= last_seen THEN ?6 ELSE culprit END,
                level = CASE WHEN ?3 >= last_seen THEN ?7 ELSE level END,
                priority = CASE WHEN ?3 >= last_seen AND priority_locked = 0 AND ?8 IS NOT NULL THEN ?8 ELSE priority END,
                important_name = CASE WHEN ?3 >= last_seen THEN ?9 ELSE important_name END,
                important_value = CASE WHEN ?3 >= last_seen THEN ?10 ELSE important_value END,
                search_text = CASE WHEN ?3 >= last_seen THEN ?11 ELSE search_text END,
                last_seen = max(last_seen, ?3),
                retired = retired + ?13
            WHERE id = ?12
            """)
        // A group created from its one occurrence already holds that occurrence's fields: setting
        // them again rewrote its two last_seen index entries for nothing.
        countFirstOccurrence = try RawStatement(db, "UPDATE groups SET times_seen = times_seen + 1, retired = retired + ?1 WHERE id = ?2")
        regressGroup = try RawStatement(db, SQLiteTransitions.regressStatement)
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

    func find(_ key: GroupKey) throws -> CachedGroup? {
        findGroup.bind(1, key.projectID)
        findGroup.bind(2, key.fingerprint)
        return try findGroup.queryFirst { CachedGroup(id: $0.int64(0), typeID: Int($0.int64(1))) }
    }

    func create(_ group: NewGroup, at now: Double) throws -> Int64 {
        let occurrence = group.occurrence
        insertGroup.bind(1, occurrence.projectID)
        insertGroup.bind(2, occurrence.groupFingerprint)
        insertGroup.bind(3, occurrence.typeID)
        insertGroup.bind(4, occurrence.title)
        insertGroup.bind(5, occurrence.subtitle)
        insertGroup.bind(6, occurrence.culprit)
        insertGroup.bind(7, occurrence.level.rawValue)
        insertGroup.bind(8, group.priority)
        insertGroup.bind(9, occurrence.detectionTime)
        insertGroup.bind(10, occurrence.importantEvidence?.name)
        insertGroup.bind(11, occurrence.importantEvidence?.value)
        insertGroup.bind(12, occurrence.assignee)
        insertGroup.bind(13, group.searchText)
        insertGroup.bind(14, group.postProcessed ? 1 : 0)
        try insertGroup.execute()
        let groupID = insertGroup.lastInsertedRowID
        unindexed.add(groupID)
        if group.postProcessed {
            notifyNewGroup.bind(1, groupID)
            notifyNewGroup.bind(2, NotificationReason.newGroup.rawValue)
            notifyNewGroup.bind(3, now)
            notifyNewGroup.bindNull(4)
            try notifyNewGroup.execute()
        }
        try recordCreation(of: groupID, at: now)
        return groupID
    }

    /// The history entry every group starts with, as `StatusHistoryRow.record` writes it.
    private func recordCreation(of groupID: Int64, at now: Double) throws {
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

    /// One group's counters, latest fields, hours and users; its standing after them.
    func write(_ counts: GroupCounts) throws -> GroupStanding? {
        let (groupID, update) = (counts.groupID, counts.update)
        let newest = update.newest
        let headline = newest.headline
        let before: GroupStanding
        if let createdAt = counts.createdAt {
            before = GroupStanding(status: .unresolved, substatus: .new, timesSeen: 0, firstSeen: createdAt, retired: 0)
        } else {
            readGroup.bind(1, groupID)
            readGroup.bind(2, counts.searchText)
            guard let read = try readGroup.queryFirst({
                (standing: GroupStanding(status: GroupStatus(rawValue: Int($0.int64(0))),
                                         substatus: $0.optionalInt64(1).flatMap { GroupSubstatus(rawValue: Int($0)) },
                                         timesSeen: Int($0.int64(2)), firstSeen: $0.double(3), retired: Int($0.int64(4))),
                 lastSeen: $0.double(5), sameSearchText: $0.int64(6) == 1)
            }) else { return nil }
            // A group not indexed yet is indexed with its text as it is then.
            if newest.detectionTime >= read.lastSeen, !read.sameSearchText, !unindexed.contains(groupID) {
                noteRetitled.bind(1, groupID)
                try noteRetitled.execute()
            }
            before = read.standing
        }
        if counts.createdAt != nil, update.count == 1 {
            countFirstOccurrence.bind(1, update.notInserted)
            countFirstOccurrence.bind(2, groupID)
            try countFirstOccurrence.execute()
        } else {
            updateGroup.bind(1, update.count)
            updateGroup.bind(2, update.firstSeen)
            updateGroup.bind(3, newest.detectionTime)
            updateGroup.bind(4, headline.title)
            updateGroup.bind(5, headline.subtitle)
            updateGroup.bind(6, headline.culprit)
            updateGroup.bind(7, headline.level.rawValue)
            updateGroup.bind(8, counts.priority)
            updateGroup.bind(9, headline.importantEvidence?.name)
            updateGroup.bind(10, headline.importantEvidence?.value)
            updateGroup.bind(11, counts.searchText)
            updateGroup.bind(12, groupID)
            updateGroup.bind(13, update.notInserted)
            try updateGroup.execute()
        }
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
        return GroupStanding(status: before.status, substatus: before.substatus, timesSeen: before.timesSeen + update.count,
                             firstSeen: min(before.firstSeen, update.firstSeen), retired: before.retired + update.notInserted)
    }

    var hasUnindexed: Bool { !unindexed.ids.isEmpty }

    /// Hands the groups created since the last call to the search indexes' sync.
    func takeUnindexed() -> UnindexedGroups {
        defer { unindexed = UnindexedGroups() }
        return unindexed
    }

    func regress(_ groupID: Int64, at now: Double) throws -> Bool {
        regressGroup.bind(1, groupID)
        regressGroup.bind(2, now)
        guard try regressGroup.execute() == 1 else { return false }
        try StatusHistoryRow.record(db, groupID: groupID, from: .resolved, to: .regressed, cause: .regression, actor: nil, at: now)
        return true
    }
}
