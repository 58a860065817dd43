import GRDB

/// The sliding noise window of one grouping key that has no group yet (spec §4).
struct NoiseWindow {
    let id: Int64
    /// Increases each time a gap longer than the expiry starts a new window; held rows carry it.
    private(set) var window: Int64
    private(set) var windowCount: Int
    private(set) var lastTime: Double?
    var groupID: Int64?

    static func load(_ db: Database, key: GroupKey, typeID: Int) throws -> NoiseWindow {
        if let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, window, window_count, window_last_time, group_id FROM noise_keys WHERE project_id = ? AND fingerprint = ?
            """), arguments: [key.projectID, key.fingerprint]) {
            return NoiseWindow(id: row[0], window: row[1], windowCount: row[2], lastTime: row[3], groupID: row[4])
        }
        try db.cachedStatement(sql: """
            INSERT INTO noise_keys (project_id, fingerprint, type_id, window, window_count, window_last_time)
            VALUES (?, ?, ?, 1, 0, 0)
            """).execute(arguments: [key.projectID, key.fingerprint, typeID])
        return NoiseWindow(id: db.lastInsertedRowID, window: 1, windowCount: 0, lastTime: nil, groupID: nil)
    }

    /// Counts one occurrence. A gap longer than `expiry` since the latest one starts a new window;
    /// an occurrence older than the latest (out of order) has no gap.
    mutating func count(_ time: Double, expiry: Double) {
        if let lastTime, time - lastTime > expiry {
            window += 1
            windowCount = 0
        }
        windowCount += 1
        lastTime = max(lastTime ?? time, time)
    }

    func save(_ db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE noise_keys SET window = ?, window_count = ?, window_last_time = ?, group_id = ? WHERE id = ?
            """).execute(arguments: [window, windowCount, lastTime ?? 0, groupID, id])
    }
}
