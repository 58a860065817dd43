import Foundation
import GRDB

extension SQLiteStore: IssueStore {
    /// The WHERE clause for `query`, planned against the store as it is (free text may use the index).
    private func whereClause(_ query: GroupQuery, _ db: Database) throws -> (sql: String, arguments: StatementArguments) {
        let indexed = try FreeTextSearch.indexedNeedles(in: query, db)
        return QuerySQL(registry: registry, now: clock.now(), flags: settings.flags, indexedNeedles: indexed).whereClause(query)
    }

    public func groups(matching query: GroupQuery, sort: GroupSort, limit: Int?, offset: Int) throws -> [Group] {
        try read { db in
            let (condition, arguments) = try whereClause(query, db)
            if sort == .trend { return try trendOrdered(db, condition: condition, arguments: arguments, limit: limit, offset: offset) }
            var sql = Group.select(where: condition, orderBy: sort.orderBy)
            if let limit { sql += " LIMIT \(max(0, limit)) OFFSET \(max(0, offset))" }
            return try Group.fetchAll(db, sql: sql, arguments: arguments)
        }
    }

    public func countGroups(matching query: GroupQuery, upTo limit: Int?) throws -> Int {
        try read { db in
            let (condition, arguments) = try whereClause(query, db)
            let sql = limit.map { "SELECT count(*) FROM (SELECT 1 FROM groups WHERE \(condition) LIMIT \(max(0, $0)))" }
                ?? "SELECT count(*) FROM groups WHERE \(condition)"
            return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
    }

    public func scansFreeText(_ query: GroupQuery) throws -> Bool {
        // Most queries have no free text: no read for them.
        guard query.terms.contains(where: { if case .text = $0.filter { !$0.negated } else { false } }) else { return false }
        return try read { try FreeTextSearch.scans(query, $0) }
    }

    public func position(of groupID: Int64, matching query: GroupQuery, sort: GroupSort) throws -> Int? {
        try read { db in
            let (condition, arguments) = try whereClause(query, db)
            guard let group = try Group.fetchOne(db, sql: Group.select(where: "id = ? AND (\(condition))"),
                                                 arguments: [groupID] + arguments) else { return nil }
            if sort == .trend, let index = try trendHead(db, condition: condition, arguments: arguments).firstIndex(where: { $0.id == groupID }) {
                return index
            }
            let (before, keys) = sort.precedes(group)
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM groups WHERE (\(condition)) AND (\(before))",
                                    arguments: arguments + keys)
        }
    }

    public func group(_ reference: String) throws -> Group {
        guard let (id, project) = ShortID.parse(reference),
              let group = try read({ try Group.fetch($0, id: id) }),
              project == nil || project == group.projectID
        else { throw StoreError.groupNotFound(reference) }
        return group
    }

    public func details(of groupID: Int64, occurrence: Int) throws -> GroupDetails {
        try read { db in
            guard let group = try Group.fetch(db, id: groupID) else {
                throw StoreError.groupNotFound(String(groupID))
            }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM occurrences WHERE group_id = ?", arguments: [groupID]) ?? 0
            let index = max(0, min(occurrence, count - 1))
            let payload = try Row.fetchOne(db, sql: """
                SELECT payload, payload_dictionary FROM occurrences WHERE group_id = ? ORDER BY detection_time DESC, seq DESC LIMIT 1 OFFSET ?
                """, arguments: [groupID, index]).map { row in
                try payloads.payload(db, stored: [UInt8](row["payload"] as Data), dictionaryID: row["payload_dictionary"])
            }
            return GroupDetails(group: group, payload: payload, occurrenceIndex: index, occurrenceCount: count,
                                history: try StatusHistoryRow.entries(db, groupID: groupID),
                                assignments: try AssignmentChange.all(db, groupID: groupID),
                                notes: try GroupNote.all(db, groupID: groupID),
                                ignoreCondition: try IgnoreConditionRow.fetch(db, groupID: groupID),
                                links: try GroupLink.all(db, groupID: groupID),
                                priorities: try PriorityChange.all(db, groupID: groupID))
        }
    }

    /// Runs the time-based lifecycle rules (spec §5) as of the store's clock; returns how many groups
    /// changed state.
    @discardableResult
    public func applyRules() throws -> Int {
        let now = clock.now()
        return try write { db in try LifecycleRules.run(SQLiteLifecycle(db: db), registry: registry, settings: settings, now: now) }
    }

    public func noiseHeld(limit: Int?) throws -> [NoiseHeldKey] {
        let now = clock.now()
        return try read { db in
            // The newest held occurrence's title names the key; one indexed read and a decode per key.
            let newest = try db.cachedStatement(sql: """
                SELECT payload, payload_dictionary FROM occurrences WHERE noise_key = ? AND group_id IS NULL ORDER BY seq DESC LIMIT 1
                """)
            return try Row.fetchAll(db, sql: """
                SELECT k.id AS key_id, k.project_id, k.fingerprint, k.type_id, k.window_count, k.window_last_time, count(*) AS held,
                       min(o.detection_time) AS first_seen, max(o.detection_time) AS last_seen
                FROM noise_keys k JOIN occurrences o ON o.noise_key = k.id AND o.group_id IS NULL
                GROUP BY k.id ORDER BY last_seen DESC, k.id DESC\(limit.map { " LIMIT \(max(0, $0))" } ?? "")
                """).map { row in
                let typeID: Int = row["type_id"]
                // A window whose latest occurrence is older than the expiry is over: the next one
                // starts a new window from zero, however close the old one came to the limit.
                let expiry = registry.type(id: typeID)?.noiseConfig?.expiryTime
                let lastTime: Double = row["window_last_time"]
                let expired = expiry.map { now - lastTime > $0 } ?? false
                let title = try Row.fetchOne(newest, arguments: [row["key_id"] as Int64]).flatMap { stored -> String? in
                    let payload = try payloads.payload(db, stored: [UInt8](stored["payload"] as Data), dictionaryID: stored["payload_dictionary"])
                    return (try? JSONDocument(bytes: payload, maxDepth: 1024))?.root["issue_title"]?.string
                }
                return NoiseHeldKey(projectID: row["project_id"], fingerprint: row["fingerprint"], typeID: typeID, held: row["held"],
                                    windowCount: expired ? 0 : row["window_count"], firstSeen: row["first_seen"], lastSeen: row["last_seen"],
                                    title: title ?? "")
            }
        }
    }

    public func notifications(after id: Int64, limit: Int) throws -> [TriageNotification] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM notifications WHERE id > ? ORDER BY id LIMIT ?", arguments: [id, limit]).map {
                TriageNotification(id: $0["id"], groupID: $0["group_id"], reason: NotificationReason(rawValue: $0["reason"]) ?? .newGroup,
                                   at: $0["at"], detail: $0["detail"])
            }
        }
    }

    public func latestNotificationID() throws -> Int64 {
        try read { try Int64.fetchOne($0, sql: "SELECT coalesce(max(id), 0) FROM notifications") ?? 0 }
    }

    public func typeCounts(matching query: GroupQuery) throws -> [(typeID: Int, count: Int)] {
        try read { db in
            let (condition, arguments) = try whereClause(query, db)
            return try Row.fetchAll(db, sql: """
                SELECT type_id, count(*) AS n FROM groups WHERE \(condition) GROUP BY type_id ORDER BY n DESC, type_id
                """, arguments: arguments).map { (typeID: $0["type_id"], count: $0["n"]) }
        }
    }

    public func apply(_ action: StatusAction, to groupIDs: [Int64], actor: String?) throws -> [TransitionResult] {
        let now = clock.now()
        return try write { db in
            var results: [TransitionResult] = []
            for groupID in groupIDs {
                guard let group = try Group.fetch(db, id: groupID) else {
                    throw StoreError.groupNotFound(String(groupID))
                }
                guard let target = try action.userTarget(for: group, registry: registry) else {
                    results.append(TransitionResult(groupID: groupID, from: group.state, to: nil))
                    continue
                }
                let previousCondition = try IgnoreConditionRow.fetch(db, groupID: groupID)
                var condition: (IgnoreCondition, Int)?
                if case let .ignore(.untilCondition(kept)) = action { condition = (kept, group.timesSeen) }
                let transition = GroupTransition(groupID: groupID, from: group.state, to: target, cause: .user, actor: actor,
                                                 ignoreCondition: condition)
                try SQLiteTransitions.apply(transition, db, at: now)
                results.append(TransitionResult(groupID: groupID, from: group.state, to: target, previousIgnoreCondition: previousCondition))
            }
            return results
        }
    }

    @discardableResult
    public func setPriority(_ priority: Int?, of groupIDs: [Int64], actor: String) throws -> [PriorityChange] {
        let now = clock.now()
        return try write { db in
            try groupIDs.map { groupID in
                guard let row = try Row.fetchOne(db, sql: "SELECT priority, priority_locked FROM groups WHERE id = ?", arguments: [groupID]) else {
                    throw StoreError.groupNotFound(String(groupID))
                }
                let change = PriorityChange(groupID: groupID, at: now, actor: actor,
                                            from: PriorityChange.current(priority: row.lenient(0) ?? Priority.medium, locked: row.lenient(1) ?? false),
                                            to: priority)
                guard change.changed else { return change }
                if let priority {
                    try db.execute(sql: "UPDATE groups SET priority = ?, priority_locked = 1 WHERE id = ?", arguments: [priority, groupID])
                } else {
                    try db.execute(sql: "UPDATE groups SET priority_locked = 0 WHERE id = ?", arguments: [groupID])
                }
                try change.insert(db)
                return change
            }
        }
    }

    public func revert(_ results: [TransitionResult], actor: String?) throws -> (reverted: [TransitionResult], changedSince: [Int64]) {
        let now = clock.now()
        return try write { db in
            var reverted: [TransitionResult] = []
            var changedSince: [Int64] = []
            for result in results {
                guard let target = result.to else { continue }
                guard let group = try Group.fetch(db, id: result.groupID),
                      group.state == target
                else {
                    changedSince.append(result.groupID)
                    continue
                }
                let transition = GroupTransition(groupID: result.groupID, from: target, to: result.from, cause: .undo, actor: actor,
                                                 ignoreCondition: result.previousIgnoreCondition.map { ($0, group.timesSeen) })
                try SQLiteTransitions.apply(transition, db, at: now)
                reverted.append(TransitionResult(groupID: result.groupID, from: target, to: result.from))
            }
            return (reverted, changedSince)
        }
    }
}

/// The stored condition of an IGNORED/UNTIL_CONDITION_MET group.
enum IgnoreConditionRow {
    static func save(_ db: Database, groupID: Int64, condition: IgnoreCondition, timesSeen: Int, at now: Double) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO ignore_conditions
                (group_id, ignored_at, until_time, count, count_window, users, user_window, times_seen_at_ignore, seq_at_ignore)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) FROM occurrences))
            """, arguments: [groupID, now, condition.until, condition.count, condition.countWindow, condition.users,
                             condition.userWindow, timesSeen])
    }

    static func delete(_ db: Database, groupID: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM ignore_conditions WHERE group_id = ?").execute(arguments: [groupID])
    }

    /// The condition with the counts taken when the group was ignored.
    static func snapshot(_ db: Database, groupID: Int64) throws -> IgnoreSnapshot? {
        try Row.fetchOne(db, sql: "SELECT * FROM ignore_conditions WHERE group_id = ?", arguments: [groupID]).map {
            IgnoreSnapshot(condition: IgnoreCondition(until: $0["until_time"], count: $0["count"], countWindow: $0["count_window"],
                                                      users: $0["users"], userWindow: $0["user_window"]),
                           ignoredAt: $0["ignored_at"], timesSeenAtIgnore: $0["times_seen_at_ignore"], seqAtIgnore: $0["seq_at_ignore"])
        }
    }

    static func fetch(_ db: Database, groupID: Int64) throws -> IgnoreCondition? {
        try Row.fetchOne(db, sql: "SELECT * FROM ignore_conditions WHERE group_id = ?", arguments: [groupID]).map {
            IgnoreCondition(until: $0["until_time"], count: $0["count"], countWindow: $0["count_window"],
                            users: $0["users"], userWindow: $0["user_window"])
        }
    }
}
