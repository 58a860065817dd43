/// `triage store grants`: least-privilege roles for a team store. Both are group roles without
/// LOGIN (people and hosts log in as their own roles, made members), and neither owns anything, so
/// neither can alter the schema; the schema's owner runs `store migrate`.
public enum PostgresGrants {
    public static let ingestRole = "triage_ingest"
    public static let oncallRole = "triage_oncall"

    /// Tables an on-call engineer's actions write, with what each may do there: status changes
    /// (the group's state, its ignore condition, the history row), priority, assignment, notes,
    /// tracker links. Never occurrences, counts or the ingest side's tables.
    static let oncallWrites: [(table: String, privileges: String)] = [
        ("groups", "UPDATE (status, substatus, substatus_since, priority, priority_locked, assignee)"),
        ("status_history", "INSERT"),
        ("ignore_conditions", "INSERT, UPDATE, DELETE"),
        ("group_links", "INSERT, UPDATE, DELETE"),
        ("group_assignments", "INSERT"),
        ("group_priorities", "INSERT"),
        ("group_notes", "INSERT"),
        ("notifications", "INSERT"),
        // A command delivers what it recorded before it exits, as an ingester does.
        ("notification_deliveries", "INSERT, UPDATE"),
        ("notifiers", "INSERT"),
        ("metric_counters", "INSERT, UPDATE"),
    ]

    /// Ingest writes what occurrences bring; it reads the rest to apply the rules. It never assigns
    /// a group nor locks its priority: those columns are people's.
    static let ingestWrites: [(table: String, privileges: String)] = [
        ("groups", "INSERT, UPDATE (type_id, title, subtitle, culprit, level, status, substatus, substatus_since, priority, first_seen, "
            + "last_seen, times_seen, important_name, important_value, search_text, post_processed, retired)"),
        ("noise_keys", "INSERT, UPDATE"),
        ("occurrences", "INSERT, UPDATE, DELETE"),
        // DELETE: ids claimed in bulk for occurrences then refused go back in the same transaction.
        ("occurrence_ids", "INSERT, DELETE"),
        ("status_history", "INSERT"),
        ("ignore_conditions", "INSERT, UPDATE, DELETE"),
        ("group_hours", "INSERT, UPDATE, DELETE"),
        ("group_users", "INSERT, UPDATE, DELETE"),
        // DELETE: the rule clock, which ingest runs, forgets notifications after 30 days.
        ("notifications", "INSERT, DELETE"),
        ("notification_deliveries", "INSERT, UPDATE, DELETE"),
        ("notifiers", "INSERT, UPDATE"),
        ("metric_counters", "INSERT, UPDATE"),
        ("ingest_files", "INSERT, UPDATE, DELETE"),
        ("ingest_rejections", "INSERT, DELETE"),
        ("ingest_moves", "INSERT, DELETE"),
    ]

    /// The SQL, idempotent: run it as the schema's owner (or a superuser) after `store migrate`.
    public static func sql(database: String) -> String {
        ([
            "-- Least-privilege roles for the triage team store. Run as the schema's owner after `triage store migrate`.",
            "-- Then, per person: CREATE ROLE alice LOGIN; GRANT \(oncallRole) TO alice;  per ingesting host: GRANT \(ingestRole) TO its role.",
        ] + statements(database: database)).joined(separator: "\n") + "\n"
    }

    /// The statements, one each, as `sql` prints them.
    public static func statements(database: String) -> [String] {
        var lines: [String] = []
        for role in [ingestRole, oncallRole] {
            lines.append("DO $$ BEGIN CREATE ROLE \(role) NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
        }
        lines += [
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
            "GRANT CONNECT ON DATABASE \(quoted(database)) TO \(ingestRole), \(oncallRole);",
            "GRANT USAGE ON SCHEMA public TO \(ingestRole), \(oncallRole);",
            "GRANT SELECT ON \(PostgresSchema.tables.joined(separator: ", ")) TO \(ingestRole), \(oncallRole);",
            "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(ingestRole), \(oncallRole);",
        ]
        for (table, privileges) in ingestWrites { lines.append("GRANT \(privileges) ON \(table) TO \(ingestRole);") }
        for (table, privileges) in oncallWrites { lines.append("GRANT \(privileges) ON \(table) TO \(oncallRole);") }
        return lines
    }

    private static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
