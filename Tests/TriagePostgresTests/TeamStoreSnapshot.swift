import Foundation
import TriagePostgres
import TriageTestSupport

extension TeamStoreTestCase {
    /// Everything the store says about its groups and noise keys by natural key (never by id, which
    /// depends on who came first), a line each.
    func snapshot(_ url: String, on server: PostgresServer? = nil) throws -> String {
        let server = server ?? self.server!
        let database = self.database(of: url)
        var lines: [String] = []
        for row in try server.admin("""
            SELECT g.project_id || '/' || g.fingerprint || '|' || g.type_id || '|' || g.times_seen || '|' || g.status || '/'
                   || coalesce(g.substatus::text, '-') || '|' || g.first_seen || '..' || g.last_seen || '|' || g.title || '|' || g.priority
                   || '|kept ' || (SELECT count(*) FROM occurrences o WHERE o.group_id = g.id)
                   || '|' || (SELECT string_agg(h.cause || ':' || h.to_status, ',' ORDER BY h.id) FROM status_history h WHERE h.group_id = g.id)
                   || '|notified ' || coalesce((SELECT string_agg(n.reason, ',' ORDER BY n.reason) FROM notifications n WHERE n.group_id = g.id), '')
                   || '|hours ' || coalesce((SELECT sum(count) FROM group_hours gh WHERE gh.group_id = g.id), 0)
                   || '|users ' || (SELECT count(*) FROM group_users u WHERE u.group_id = g.id) AS line
            FROM groups g ORDER BY g.project_id, g.fingerprint
            """, database: database) {
            lines.append(row.get("line") ?? "")
        }
        for row in try server.admin("""
            SELECT k.project_id || '/' || k.fingerprint || '|held ' || (SELECT count(*) FROM occurrences o WHERE o.noise_key = k.id AND o.group_id IS NULL)
                   || '|count ' || k.window_count || '|' || CASE WHEN k.group_id IS NULL THEN 'open' ELSE 'formed' END AS line
            FROM noise_keys k ORDER BY k.project_id, k.fingerprint
            """, database: database) {
            lines.append(row.get("line") ?? "")
        }
        let totals = try server.admin("""
            SELECT 'rows ' || (SELECT count(*) FROM occurrences) || ' ids ' || (SELECT count(*) FROM occurrence_ids) AS line
            """, database: database)
        lines.append(totals.first?.get("line") ?? "")
        return lines.joined(separator: "\n")
    }
}
