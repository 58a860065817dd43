import Foundation
import PostgresNIO
import TriageEngine

/// The ingest session's noise windows and held rows in the team store, written in bulk. A key's
/// window row is locked by the upsert that first reads it in a transaction, so until the commit no
/// other ingester can change it: the session keeps it and its later counts in memory and writes
/// every window it changed, and the rows it held, in one statement each before the flush of grouped
/// rows (held rows keep their place in arrival order), before held rows are released, and at the
/// commit. A rollback forgets them with the transaction.
final class PostgresNoiseWrites {
    private let session: PostgresSession
    /// Windows this transaction has locked, by key, as last counted.
    private var windows: [GroupKey: NoiseWindow] = [:]
    private var keys: [Int64: GroupKey] = [:]
    private var changed: Set<GroupKey> = []
    private var held: [OccurrenceRow] = []

    init(_ session: PostgresSession) { self.session = session }

    /// The key's window, locked until the commit: created empty if the key has none (an upsert that
    /// returns the row; `xmax = 0` only for a row this statement inserted).
    func window(for key: GroupKey, typeID: Int) throws -> NoiseWindow {
        if let window = windows[key] { return window }
        guard let row = try session.query("""
            INSERT INTO noise_keys (project_id, fingerprint, type_id, "window", window_count, window_last_time)
            VALUES (?, ?, ?, 1, 0, 0)
            ON CONFLICT (project_id, fingerprint) DO UPDATE SET type_id = noise_keys.type_id
            RETURNING id, "window", window_count, window_last_time, group_id, (xmax = 0) AS inserted
            """, [key.projectID.databaseValue, key.fingerprint.databaseValue, typeID.databaseValue]).first
        else { throw PostgresFailure.server("the noise window of \(key.fingerprint) was neither inserted nor found") }
        let inserted: Bool = row.get("inserted") ?? false
        let window = NoiseWindow(id: row.get("id") ?? 0, window: row.get("window") ?? 1, windowCount: row.get("window_count") ?? 0,
                                 lastTime: inserted ? nil : row.get("window_last_time"), groupID: row.get("group_id"))
        windows[key] = window
        keys[window.id] = key
        return window
    }

    func save(_ window: NoiseWindow) throws {
        guard let key = keys[window.id] else {
            throw PostgresFailure.server("noise window \(window.id) was saved in a transaction that did not read it")
        }
        windows[key] = window
        changed.insert(key)
    }

    func hold(_ row: OccurrenceRow) { held.append(row) }

    /// Writes the held rows and the changed windows.
    func write() throws {
        if !held.isEmpty {
            var ids: [ByteBuffer] = [], typeIDs: [Int64] = [], times: [Double] = [], eventIDs: [ByteBuffer] = []
            var noiseKeys: [Int64] = [], noiseWindows: [Int64] = [], payloads: [ByteBuffer] = []
            for row in held {
                ids.append(PostgresGroupWrites.buffer(row.id))
                typeIDs.append(Int64(row.typeID))
                times.append(row.detectionTime)
                eventIDs.append(PostgresGroupWrites.buffer(row.eventID))
                noiseKeys.append(row.noise?.key ?? 0)
                noiseWindows.append(row.noise?.window ?? 0)
                payloads.append(ByteBuffer(bytes: row.payload))
            }
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(ids)
            bindings.append(typeIDs)
            bindings.append(times)
            bindings.append(eventIDs)
            bindings.append(noiseKeys)
            bindings.append(noiseWindows)
            bindings.append(payloads)
            try session.query(numbered: """
                INSERT INTO occurrences (id, group_id, type_id, detection_time, event_id, noise_key, noise_window, payload)
                SELECT id, NULL, type_id, time, event_id, nullif(noise_key, 0), nullif(noise_window, 0), payload
                FROM unnest($1::bytea[], $2::int8[], $3::float8[], $4::bytea[], $5::int8[], $6::int8[], $7::bytea[])
                    AS held(id, type_id, time, event_id, noise_key, noise_window, payload)
                """, bindings)
            held.removeAll(keepingCapacity: true)
        }
        if !changed.isEmpty {
            let saved = changed.compactMap { windows[$0] }.sorted { $0.id < $1.id }
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(saved.map(\.id))
            bindings.append(saved.map(\.window))
            bindings.append(saved.map { Int64($0.windowCount) })
            bindings.append(saved.map { $0.lastTime ?? 0 })
            bindings.append(saved.map { $0.groupID ?? 0 })
            try session.query(numbered: """
                UPDATE noise_keys k SET "window" = u.number, window_count = u.counted, window_last_time = u.last_time,
                    group_id = nullif(u.group_id, 0)
                FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::float8[], $5::int8[]) AS u(id, number, counted, last_time, group_id)
                WHERE k.id = u.id
                """, bindings)
            changed.removeAll(keepingCapacity: true)
        }
    }

    /// The transaction ended: its locks, and with them what this kept, are gone.
    func forget() {
        windows.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        changed.removeAll(keepingCapacity: true)
        held.removeAll(keepingCapacity: true)
    }
}
