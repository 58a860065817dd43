import Foundation
import GRDB
import TriageEngine

/// Trends from the hourly counts and users, never from occurrences (as `SQLiteStore+Trends`).
extension PostgresStore {
    public func hourlyCounts(of groupIDs: [Int64], hours: Int, through hour: Int64) throws -> [Int64: [Int]] {
        let hours = max(1, hours)
        let ids = Array(Set(groupIDs))
        guard !ids.isEmpty else { return [:] }
        let first = hour - Int64(hours - 1)
        var result: [Int64: [Int]] = [:]
        for id in ids { result[id] = Array(repeating: 0, count: hours) }
        try forEachHour(of: ids, from: first, through: hour) { id, at, count in result[id]?[Int(at - first)] = count }
        return result
    }

    /// Every stored hour of `ids` in `first...last`, in one statement.
    private func forEachHour(of ids: [Int64], from first: Int64, through last: Int64, _ body: (Int64, Int64, Int) -> Void) throws {
        guard !ids.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        for record in try session.query("SELECT group_id, hour, count FROM group_hours WHERE group_id IN (\(placeholders)) AND hour BETWEEN ? AND ?",
                                        ids.map(\.databaseValue) + [first.databaseValue, last.databaseValue]) {
            body(record.get("group_id") ?? 0, record.get("hour") ?? 0, record.get("count") ?? 0)
        }
    }

    /// The head of the trend order, ranked as SQLite's store ranks it (`SQLiteStore.trendHead`).
    func trendHead(condition: String, values: [DatabaseValue]) throws -> [Group] {
        let hour = Int64((clock.now() / 3600).rounded(.down))
        let candidates = try session.query(Self.select(where: "(\(condition)) AND last_seen >= ?", orderBy: GroupSort.lastSeen.orderBy)
                                           + " LIMIT \(SQLiteStore.trendCandidates)", values + [(Double(hour) * 3600).databaseValue]).map(Self.group)
        var current: [Int64: Int] = [:]
        var peak: [Int64: Int] = [:]
        try forEachHour(of: candidates.map(\.id), from: hour - Int64(EscalationForecast.historyHours), through: hour) { id, at, count in
            if at == hour { current[id] = count } else { peak[id] = max(peak[id] ?? 0, count) }
        }
        let scores = candidates.map { Double(current[$0.id] ?? 0) / Double(max(1, peak[$0.id] ?? 0)) }
        return candidates.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.map { candidates[$0] }
    }

    /// A page of the trend order: the ranked head, then the rest in last_seen order.
    func trendOrdered(condition: String, values: [DatabaseValue], limit: Int?, offset: Int) throws -> [Group] {
        let offset = max(0, offset)
        let head = try trendHead(condition: condition, values: values)
        var page = Array(head.dropFirst(offset).prefix(limit.map { max(0, $0) } ?? Int.max))
        let wanted = limit.map { max(0, $0) - page.count }
        guard wanted.map({ $0 > 0 }) ?? true else { return page }
        let sql = Self.select(where: condition, orderBy: GroupSort.lastSeen.orderBy)
            + (wanted.map { " LIMIT \($0)" } ?? "") + " OFFSET \(max(offset, head.count))"
        page += try session.query(sql, values).map(Self.group)
        return page
    }

    public func userCounts(of groupIDs: [Int64], upTo cap: Int) throws -> [Int64: Int] {
        let ids = Array(Set(groupIDs))
        guard !ids.isEmpty else { return [:] }
        var result: [Int64: Int] = [:]
        // One round trip for the page (a screen re-reads it on every change); capped per group, so a
        // group with a million users costs what the cap costs.
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        for record in try session.query("""
            SELECT g.id, (SELECT count(*) FROM (SELECT 1 FROM group_users u WHERE u.group_id = g.id LIMIT ?) AS capped) AS n
            FROM groups g WHERE g.id IN (\(placeholders))
            """, [max(0, cap).databaseValue] + ids.map(\.databaseValue)) {
            result[record.get("id") ?? 0] = record.get("n") ?? 0
        }
        for id in ids where result[id] == nil { result[id] = 0 }
        return result
    }

    public func escalationForecast(of groupID: Int64) throws -> EscalationOutlook {
        let now = clock.now()
        let hour = Int64((now / 3600).rounded(.down))
        let counts = try hourlyCounts(of: [groupID], hours: EscalationForecast.historyHours + 1, through: hour)[groupID] ?? []
        guard let firstSeen: Double = try session.query("SELECT first_seen FROM groups WHERE id = ?", [groupID.databaseValue]).first?.get("first_seen")
        else { throw StoreError.groupNotFound(String(groupID)) }
        let forecast = EscalationForecast.forecast(history: Array(counts.dropLast()), groupAge: now - firstSeen,
                                                   floor: settings.lifecycle.escalationFloor)
        return EscalationOutlook(thisHour: counts.last ?? 0, forecast: forecast)
    }
}
