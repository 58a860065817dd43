import Foundation
import GRDB

/// A store filled directly with synthetic groups (`occurrencesPerGroup` each), for UI benchmarks at
/// sizes ingest would take minutes to reach. Rows follow the schema the engine writes; payloads are
/// small but complete, so the details view has something to render.
public enum SyntheticStore {
    public static func fill(_ store: SQLiteStore, groups: Int, occurrencesPerGroup: Int = 5, now: Double) throws {
        let types = [(1, "TypeError: cannot read property of undefined"), (1001, "N+1 Query on /api/orders"),
                     (4001, "Monitor failure: poll_service"), (1006, "Slow DB query in checkout"), (2001, "File IO on main thread")]
        let levels = ["error", "warning", "error", "info", "fatal"]
        let batch = 20_000
        var start = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM groups") ?? 0 }
        while start < groups {
            let end = min(groups, start + batch)
            try store.write { db in
                let group = try db.makeStatement(sql: """
                    INSERT INTO groups (id, project_id, fingerprint, type_id, title, subtitle, culprit, level, status, substatus, priority,
                        first_seen, last_seen, times_seen, important_name, important_value, search_text, substatus_since)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 'Reason', ?, ?, ?)
                    """)
                let occurrence = try db.makeStatement(sql: """
                    INSERT INTO occurrences (seq, id, group_id, type_id, detection_time, event_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                let occurrenceID = try db.makeStatement(sql: "INSERT INTO occurrence_ids (id) VALUES (?)")
                let newGroup = try db.makeStatement(sql: FreeTextIndex.noteNew)
                for index in start..<end {
                    let id = Int64(index + 1)
                    let (typeID, base) = types[index % types.count]
                    let title = "\(base) #\(index)"
                    let culprit = "app/module\(index % 97).py in handler\(index % 13)"
                    let lastSeen = now - Double(index % 86_400)
                    try group.execute(arguments: [id, index % 20 + 1, "fp-\(index)", typeID, title, "seen on host-\(index % 50)", culprit,
                                                  levels[index % levels.count], index % 3 == 0 ? 2 : 3, [25, 50, 75][index % 3],
                                                  lastSeen - 3600, lastSeen, index % 1000 + 1, "boom \(index)",
                                                  "\(title)\nseen on host-\(index % 50)\n\(culprit)".lowercased(), lastSeen - 3600])
                    try newGroup.execute(arguments: [id])
                    for number in 0..<occurrencesPerGroup {
                        let seq = id * Int64(occurrencesPerGroup) + Int64(number)
                        let detected = lastSeen - Double(number * 60)
                        let payload = #"{"id":"\#(String(format: "%032x", seq))","project_id":\#(index % 20 + 1),"fingerprint":["fp-\#(index)"],"issue_title":"\#(title)","subtitle":"seen","culprit":"\#(culprit)","evidence_data":{"n":\#(index)},"evidence_display":[{"name":"Reason","value":"boom \#(index)","important":true}],"type":\#(typeID),"detection_time":\#(detected),"level":"\#(levels[index % levels.count])","event_id":"\#(String(format: "%032x", seq + 1 << 40))"}"#
                        var uuid = [UInt8](repeating: 0, count: 16)
                        withUnsafeBytes(of: seq.bigEndian) { uuid.replaceSubrange(8..<16, with: $0) }
                        try occurrence.execute(arguments: [seq, Data(uuid), id, typeID, detected, Data(uuid.reversed()), Data(payload.utf8)])
                        try occurrenceID.execute(arguments: [Data(uuid)])
                    }
                }
                try FreeTextIndex.sync(db)
            }
            start = end
        }
    }

    public static func occurrenceCount(_ store: SQLiteStore) throws -> Int {
        try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM occurrences") ?? 0 }
    }
}
