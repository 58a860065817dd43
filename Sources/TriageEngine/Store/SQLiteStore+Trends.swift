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
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT group_id, hour, count FROM group_hours WHERE group_id IN (\(placeholders)) AND hour BETWEEN ? AND ?
                """, arguments: StatementArguments(ids.map { $0 as any DatabaseValueConvertible } + [first, hour]))
            while let row = try rows.next() {
                let id: Int64 = row["group_id"]
                let at: Int64 = row["hour"]
                result[id]?[Int(at - first)] = row["count"]
            }
            return result
        }
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
