import GRDB

/// Reads and writes noise windows for one writer, its statements bound directly: every occurrence
/// of a noise-limited type without a group reads and writes its window.
final class NoiseWindows {
    private let find: RawStatement
    private let insert: RawStatement
    private let update: RawStatement

    init(_ db: Database) throws {
        find = try RawStatement(db, """
            SELECT id, window, window_count, window_last_time, group_id FROM noise_keys WHERE project_id = ?1 AND fingerprint = ?2
            """)
        insert = try RawStatement(db, """
            INSERT INTO noise_keys (project_id, fingerprint, type_id, window, window_count, window_last_time)
            VALUES (?1, ?2, ?3, 1, 0, 0)
            """)
        update = try RawStatement(db, """
            UPDATE noise_keys SET window = ?1, window_count = ?2, window_last_time = ?3, group_id = ?4 WHERE id = ?5
            """)
    }

    /// The key's window, created empty if the key has none.
    func load(key: GroupKey, typeID: Int) throws -> NoiseWindow {
        find.bind(1, key.projectID)
        find.bind(2, key.fingerprint)
        if let found = try find.queryFirst({
            NoiseWindow(id: $0.int64(0), window: $0.int64(1), windowCount: Int($0.int64(2)),
                        lastTime: $0.optionalDouble(3), groupID: $0.optionalInt64(4))
        }) {
            return found
        }
        insert.bind(1, key.projectID)
        insert.bind(2, key.fingerprint)
        insert.bind(3, typeID)
        try insert.execute()
        return NoiseWindow(id: insert.lastInsertedRowID, window: 1, windowCount: 0, lastTime: nil, groupID: nil)
    }

    func save(_ window: NoiseWindow) throws {
        update.bind(1, window.window)
        update.bind(2, window.windowCount)
        update.bind(3, window.lastTime ?? 0)
        update.bind(4, window.groupID.map(Int.init))
        update.bind(5, window.id)
        try update.execute()
    }
}
