import Foundation
import GRDB

/// Trends read from the hourly counts (`group_hours`) and users (`group_users`) that ingest keeps per
/// group, never from occurrence rows: a page of sparklines costs one indexed range read.
extension SQLiteStore {
    public func hourlyCounts(of groupIDs: [Int64], hours: Int, through hour: Int64) throws -> [Int64: [Int]] {
        let hours = max(1, hours)
        let ids = Array(Set(groupIDs))
        guard !ids.isEmpty else { return [:] }
        let first = hour - Int64(hours - 1)
        return try read { db in
            var result: [Int64: [Int]] = [:]
            for id in ids { result[id] = Array(repeating: 0, count: hours) }
            try Self.forEachHour(db, of: ids, from: first, through: hour) { id, at, count in result[id]?[Int(at - first)] = count }
            return result
        }
    }

    /// Every stored hour of `ids` in `first...last`: one indexed range read per group, one statement.
    private static func forEachHour(_ db: Database, of ids: [Int64], from first: Int64, through last: Int64,
                                    _ body: (Int64, Int64, Int) -> Void) throws {
        guard !ids.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT group_id, hour, count FROM group_hours WHERE group_id IN (\(placeholders)) AND hour BETWEEN ? AND ?
            """, arguments: StatementArguments(ids.map { $0 as any DatabaseValueConvertible } + [first, last]))
        while let row = try rows.next() { body(row["group_id"], row["hour"], row["count"]) }
    }

    /// The most groups the trend sort ranks: those seen this hour, the most recent first.
    public static let trendCandidates = 1000

    /// The head of the trend order: the groups matching `condition` seen this hour (at most
    /// `trendCandidates`, which are the head of last_seen order too), by events this hour over their
    /// busiest hour of the week before (a group without history counts against 1), ties in
    /// last_seen order. Only groups seen this hour have events this hour, so every other group
    /// scores 0 and keeps its last_seen place after the head: ranking a million groups is not needed.
    func trendHead(_ db: Database, condition: String, arguments: StatementArguments) throws -> [Group] {
        let hour = Int64((clock.now() / 3600).rounded(.down))
        let candidates = try Group.fetchAll(db, sql: Group.select(where: "(\(condition)) AND last_seen >= ?", orderBy: GroupSort.lastSeen.orderBy)
                                                + " LIMIT \(Self.trendCandidates)", arguments: arguments + [Double(hour) * 3600])
        var current: [Int64: Int] = [:]
        var peak: [Int64: Int] = [:]
        try Self.forEachHour(db, of: candidates.map(\.id), from: hour - Int64(EscalationForecast.historyHours), through: hour) { id, at, count in
            if at == hour { current[id] = count } else { peak[id] = max(peak[id] ?? 0, count) }
        }
        let scores = candidates.map { Double(current[$0.id] ?? 0) / Double(max(1, peak[$0.id] ?? 0)) }
        return candidates.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.map { candidates[$0] }
    }

    /// A page of the trend order: the ranked head, then the rest in last_seen order.
    func trendOrdered(_ db: Database, condition: String, arguments: StatementArguments, limit: Int?, offset: Int) throws -> [Group] {
        let offset = max(0, offset)
        let head = try trendHead(db, condition: condition, arguments: arguments)
        var page = Array(head.dropFirst(offset).prefix(limit.map { max(0, $0) } ?? Int.max))
        let wanted = limit.map { max(0, $0) - page.count }
        guard wanted.map({ $0 > 0 }) ?? true else { return page }
        let sql = Group.select(where: condition, orderBy: GroupSort.lastSeen.orderBy)
            + " LIMIT \(wanted ?? -1) OFFSET \(max(offset, head.count))"
        page += try Group.fetchAll(db, sql: sql, arguments: arguments)
        return page
    }

    public func userCounts(of groupIDs: [Int64], upTo cap: Int) throws -> [Int64: Int] {
        try read { db in
            // Capped per group: a group with a million users costs what the cap costs.
            let statement = try db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM group_users WHERE group_id = ? LIMIT ?)")
            var result: [Int64: Int] = [:]
            for id in Set(groupIDs) { result[id] = try Int.fetchOne(statement, arguments: [id, max(0, cap)]) ?? 0 }
            return result
        }
    }

    public func escalationForecast(of groupID: Int64) throws -> EscalationOutlook {
        let now = clock.now()
        let hour = Int64((now / 3600).rounded(.down))
        let counts = try hourlyCounts(of: [groupID], hours: EscalationForecast.historyHours + 1, through: hour)[groupID] ?? []
        let firstSeen = try read { try Double.fetchOne($0, sql: "SELECT first_seen FROM groups WHERE id = ?", arguments: [groupID]) }
        guard let firstSeen else { throw StoreError.groupNotFound(String(groupID)) }
        let forecast = EscalationForecast.forecast(history: Array(counts.dropLast()), groupAge: now - firstSeen,
                                                   floor: settings.lifecycle.escalationFloor)
        return EscalationOutlook(thisHour: counts.last ?? 0, forecast: forecast)
    }
}
