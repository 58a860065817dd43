import Foundation
import TriagePostgres
import TriageTestSupport
import XCTest

/// The team store on a real PostgreSQL 15, through the real binary: schema, grants, copy, and the
/// commands that work unchanged on it.
final class TeamStoreTests: TeamStoreTestCase {
    private func migrated() throws {
        try cli.succeed(["store", "migrate", "--store", url])
    }

    func test_theHarnessServesTCPAndItsPrivateSocket() throws {
        XCTAssertEqual(try server.admin("SELECT current_setting('server_version_num')::int / 10000 AS major").first?.get("major"), 15 as Int)
        let session = try PostgresSession.connect(PostgresLocation(parsing: server.socketURL(database)), password: nil)
        XCTAssertEqual(try session.query("SELECT current_database() AS name").first?.get("name"), database)
    }

    func test_commandsOnAStoreWithoutSchemaNameTheMigrateCommand() throws {
        let list = try cli.run(["list", "--store", url])
        XCTAssertEqual(list.status, 1)
        XCTAssertEqual(list.stderr, "triage: the team store at \(try PostgresLocation(parsing: url).description) has no triage schema yet; "
                       + "create it with `triage store migrate --store \(try PostgresLocation(parsing: url).description)`\n")
        let first = try cli.succeed(["store", "migrate", "--store", url])
        XCTAssertTrue(first.contains("applied v1: "), first)
        XCTAssertTrue(try cli.succeed(["store", "migrate", "--store", url]).contains("schema v\(PostgresSchema.version), up to date"))
        XCTAssertEqual(try cli.succeed(["list", "--store", url, "--plain"]), "")
    }

    func test_aStoreBehindThisTriageSaysExactlyWhichCommandUpgradesIt() throws {
        try migrated()
        // As a store from an older triage would look: the schema table has no row for the newest migration.
        try server.admin("DELETE FROM triage_schema WHERE version = \(PostgresSchema.version)", database: database)
        let location = try PostgresLocation(parsing: url).description
        for command in [["list"], ["show", "1"], ["resolve", "1"], ["priority", "high", "1"]] {
            let result = try cli.run(command + ["--store", url])
            XCTAssertEqual(result.status, 1)
            XCTAssertEqual(result.stderr, "triage: the team store at \(location) has schema v\(PostgresSchema.version - 1), this triage needs "
                           + "v\(PostgresSchema.version); upgrade it with `triage store migrate --store \(location)` (as the schema's owner)\n", "\(command)")
        }
    }

    func test_theStoreURLComesFromTheEnvironmentOrTheConfigAndNeverCarriesAPassword() throws {
        try migrated()
        XCTAssertEqual(try cli.succeed(["list", "--plain"], environment: ["TRIAGE_STORE": url]), "")
        let config = cli.home + "/team.toml"
        try "[store]\nurl = \"\(url)\"\npassword_env = \"TEAM_PASSWORD\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli.succeed(["list", "--plain", "--config", config], environment: ["TEAM_PASSWORD": "unused-by-trust"]), "")
        let unset = try cli.run(["list", "--config", config])
        XCTAssertEqual(unset.stderr, "triage: [store] password_env names $TEAM_PASSWORD, which is not set\n")

        let withPassword = try cli.run(["list", "--store", url.replacingOccurrences(of: "triage_test@", with: "triage_test:hunter2@")])
        XCTAssertEqual(withPassword.status, 1)
        XCTAssertTrue(withPassword.stderr.contains("put it in $PGPASSWORD"), withPassword.stderr)
        XCTAssertFalse(withPassword.stderr.contains("hunter2"))
        try "[store]\npassword = \"hunter2\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let inConfig = try cli.run(["list", "--config", config])
        XCTAssertEqual(inConfig.status, 1)
        XCTAssertTrue(inConfig.stderr.contains("a password is never read from the config file; put it in $PGPASSWORD"), inConfig.stderr)
    }

    /// `bench-ui` (scripts/bench-ui) finds the password where every command does, not in $PGPASSWORD only.
    func test_benchUIReadsTheStoresPasswordAsTheCLIDoes() throws {
        try migrated()
        let config = cli.home + "/bench.toml"
        try "[store]\npassword_env = \"TEAM_PASSWORD\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let ways: [(flags: [String], environment: [String: String])] = [(["--config", config], [:]), ([], ["TRIAGE_CONFIG": config])]
        for (flags, environment) in ways {
            let unset = try cli.run(["bench-ui", "--store", url, "--groups", "1"] + flags, environment: environment)
            XCTAssertEqual(unset.status, 1, unset.stdout)
            XCTAssertEqual(unset.stderr, "triage: [store] password_env names $TEAM_PASSWORD, which is not set\n")
        }
        let filled = try cli.run(["bench-ui", "--store", url, "--groups", "1", "--config", config], environment: ["TEAM_PASSWORD": "unused-by-trust"])
        XCTAssertEqual(filled.status, 0, filled.stderr)
        XCTAssertTrue(filled.stdout.hasPrefix("bench-ui: filled "), filled.stdout)
    }

    func test_whatNeedsSQLiteSaysSoOnATeamStore() throws {
        try migrated()
        let served = try cli.run(["ingest", "--follow", "--store", url, "--spool", cli.home + "/spool", "--metrics-addr", "127.0.0.1:0"])
        XCTAssertEqual(served.status, 1)
        XCTAssertTrue(served.stderr.contains("--metrics-addr needs a SQLite store"), served.stderr)
    }

    func test_grantsLetTheOnCallRoleTriageButNotIngestNorAlterTheSchema() throws {
        let local = try cli.filledStore()
        try migrated()
        try cli.succeed(["store", "copy", "--from", local, "--to", url])
        let sql = try cli.succeed(["store", "grants", "--store", url])
        XCTAssertTrue(sql.contains("GRANT CONNECT ON DATABASE \"\(database)\""), sql)
        for statement in sql.split(separator: "\n") where !statement.hasPrefix("--") {
            try server.admin(String(statement), database: database)
        }
        // Applying them twice is harmless.
        for statement in PostgresGrants.statements(database: database) { try server.admin(statement, database: database) }
        let user = "alice_\(database)"
        try server.admin("CREATE ROLE \(user) LOGIN")
        try server.admin("GRANT triage_oncall TO \(user)")
        let alice = try PostgresSession.connect(PostgresLocation(parsing: server.url(database, user: user)), password: nil)

        XCTAssertGreaterThan(try alice.query("SELECT count(*) AS n FROM groups").first?.get("n") ?? 0, 0)
        for forbidden in ["INSERT INTO occurrence_ids (id) VALUES ('\\x00'::bytea)",
                          "INSERT INTO occurrences (id, type_id, detection_time, event_id, payload) VALUES ('\\x00'::bytea, 1, 0, '\\x00'::bytea, '\\x00'::bytea)",
                          "INSERT INTO groups (project_id, fingerprint, type_id, title, subtitle, culprit, level, status, priority, first_seen, last_seen, times_seen, search_text) VALUES (1, 'f', 1, '', '', '', 'error', 0, 50, 0, 0, 1, '')",
                          "UPDATE groups SET times_seen = 0",
                          "ALTER TABLE groups ADD COLUMN mine text",
                          "DROP TABLE group_links",
                          "CREATE TABLE sneaky (x int)"] {
            XCTAssertThrowsError(try alice.query(forbidden), forbidden) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("permission denied") || text.contains("must be owner"), "\(forbidden): \(text)")
            }
        }
        // The ingest role stores occurrences but cannot alter the schema either.
        let host = "ingest_\(database)"
        try server.admin("CREATE ROLE \(host) LOGIN")
        try server.admin("GRANT triage_ingest TO \(host)")
        let ingester = try PostgresSession.connect(PostgresLocation(parsing: server.url(database, user: host)), password: nil)
        try ingester.query("INSERT INTO occurrence_ids (id) VALUES ('\\x01'::bytea)")
        for forbidden in ["ALTER TABLE groups ADD COLUMN mine text", "DROP TABLE occurrences", "CREATE TABLE sneaky (x int)",
                          "UPDATE groups SET assignee = 'me'", "INSERT INTO group_notes (group_id, at, author, text) VALUES (1, 0, 'a', 'b')",
                          "INSERT INTO group_assignments (group_id, at, actor) VALUES (1, 0, 'a')"] {
            XCTAssertThrowsError(try ingester.query(forbidden), forbidden) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("permission denied") || text.contains("must be owner"), "\(forbidden): \(text)")
            }
        }

        // What on-call does, through the real binary, as that role.
        let aliceURL = server.url(database, user: user)
        let first = try XCTUnwrap(try cli.succeed(["list", "--store", aliceURL, "--plain", "--fields", "short_id"]).split(separator: "\n").first)
        XCTAssertTrue(try cli.succeed(["resolve", String(first), "--store", aliceURL]).contains("→ resolved"))
        try cli.succeed(["priority", "high", String(first), "--store", aliceURL])
        try cli.succeed(["unresolve", String(first), "--store", aliceURL])
        try cli.succeed(["ignore", String(first), "--count", "5", "--store", aliceURL])
        XCTAssertTrue(try cli.succeed(["assign", String(first), "--to", "bob", "--store", aliceURL]).contains("nobody → bob"))
        try cli.succeed(["note", String(first), "handing over to bob", "--store", aliceURL])
        let shown = try cli.succeed(["show", String(first), "--json", "--store", aliceURL])
        XCTAssertTrue(shown.contains(#""assignee":"bob""#) && shown.contains("handing over to bob"), shown)
    }

    func test_copyIsIdempotentAndTheTeamStoreListsWhatTheLocalOneDoes() throws {
        let local = try cli.filledStore()
        try migrated()
        let first = try cli.succeed(["store", "copy", "--from", local, "--to", url])
        XCTAssertTrue(first.contains("(0 already there)"), first)
        let rerun = try cli.succeed(["store", "copy", "--from", local, "--to", url])
        XCTAssertTrue(rerun.contains(": 0 groups copied (") && rerun.contains(" 0 occurrences, 0 history entries"), rerun)

        let counts = try server.admin("""
            SELECT (SELECT count(*) FROM groups) AS groups, (SELECT count(*) FROM occurrences) AS occurrences,
                   (SELECT count(*) FROM occurrence_ids) AS ids, (SELECT count(*) FROM status_history) AS history,
                   (SELECT count(*) FROM group_hours) AS hours, (SELECT count(*) FROM group_users) AS users,
                   (SELECT count(*) FROM notifications) AS notifications, (SELECT count(*) FROM noise_keys) AS noise
            """, database: database)[0]
        let groups: Int = try XCTUnwrap(counts.get("groups"))
        XCTAssertGreaterThan(groups, 10)
        XCTAssertEqual(counts.get("occurrences") as Int?, counts.get("ids") as Int?)
        for table in ["history", "hours", "users", "notifications", "noise"] {
            XCTAssertGreaterThan(counts.get(table) ?? 0, 0, table)
        }

        // The same answers from both stores, query for query and sort for sort.
        let queries = ["", "is:unresolved", "is:resolved", "type:error", "level:error,fatal", "project:1", "times_seen:>5",
                       "!project:2 is:unresolved", "priority:high", "last_seen:-3650d", "has:important", "timeout", "\"db\"", "id:1,2,3",
                       // LIKE's wildcards are literal characters in a needle.
                       "\"%\"", "\"_\"", "e%r", "\"!timeout\""]
        for query in queries {
            for sort in ["last_seen", "first_seen", "events", "priority", "trend"] {
                let arguments = ["list", "--json", "--query", query, "--sort", sort]
                XCTAssertEqual(try cli.succeed(arguments + ["--store", url]), try cli.succeed(arguments + ["--store", local]), "\(query) by \(sort)")
            }
        }
        let page = try cli.succeed(["list", "--json", "--limit", "7", "--store", url])
        XCTAssertEqual(page, try cli.succeed(["list", "--json", "--limit", "7", "--store", local]))
        XCTAssertEqual(page.components(separatedBy: "\"short_id\"").count - 1, 7, "the answers compared are not empty")
        XCTAssertEqual(try cli.succeed(["list", "--noise", "--json", "--store", url]),
                       try cli.succeed(["list", "--noise", "--json", "--store", local]))
        for id in ["1", "P1-2", "5"] {
            XCTAssertEqual(try cli.run(["show", id, "--json", "--store", url]).stdout, try cli.run(["show", id, "--json", "--store", local]).stdout, id)
        }
        XCTAssertEqual(try cli.succeed(["types", "--store", url]), try cli.succeed(["types", "--store", local]))
    }

    func test_aSecondStoreCopiedInKeepsEveryGroupOnceAndRenumbersThoseWhoseIdIsTaken() throws {
        let first = try cli.filledStore()
        let secondSpool = cli.home + "/spool-b"
        let second = cli.home + "/second.sqlite"
        try cli.succeed(["gen", "--out", secondSpool, "--occurrences", "200", "--groups", "30", "--projects", "3", "--seed", "11"])
        XCTAssert([0, 3].contains(try cli.run(["ingest", "--spool", secondSpool, "--store", second, "--config", "/dev/null"]).status))
        try migrated()
        try cli.succeed(["store", "copy", "--from", first, "--to", url])
        let secondCopy = try cli.succeed(["store", "copy", "--from", second, "--to", url])
        XCTAssertTrue(try cli.succeed(["store", "copy", "--from", second, "--to", url]).contains(": 0 groups copied ("))
        // Occurrences of groups the team store had already are left out, and say so; their ids are not
        // taken for duplicates, so their payloads ingested into the team store are counted there.
        let leftOut = try XCTUnwrap(secondCopy.firstMatch(of: /; (\d+) occurrences of groups already there left out/)?.1)
        XCTAssertGreaterThan(Int(leftOut) ?? 0, 0, secondCopy)
        let again = cli.home + "/spool-b-again"
        try FileManager.default.copyItem(atPath: secondSpool + "/processed", toPath: again)
        XCTAssert([0, 3].contains(try cli.run(["ingest", "--spool", again, "--store", url, "--config", "/dev/null"]).status))
        XCTAssertFalse(try cli.succeed(["store", "copy", "--from", second, "--to", url]).contains("left out"))

        // Every group of either store is in the team store once, by its key, with its counts and occurrences.
        let team = try server.admin("""
            SELECT g.project_id, g.fingerprint, g.times_seen, (SELECT count(*) FROM occurrences o WHERE o.group_id = g.id) AS kept
            FROM groups g
            """, database: database)
        var byKey: [String: (timesSeen: Int, kept: Int)] = [:]
        for record in team {
            let key = "\(record.get("project_id") as Int64? ?? 0)/\(record.get("fingerprint") as String? ?? "")"
            XCTAssertNil(byKey[key], "\(key) twice")
            byKey[key] = (record.get("times_seen") ?? 0, record.get("kept") ?? 0)
        }
        var renumbered = 0
        for store in [first, second] {
            let json = try cli.succeed(["list", "--json", "--query", "", "--fields", "id,project_id,fingerprint,times_seen", "--store", store])
            let groups = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
            for group in groups {
                let key = "\(group["project_id"] as? Int ?? 0)/\(group["fingerprint"] as? String ?? "")"
                XCTAssertNotNil(byKey[key], key)
                if store == first {
                    let inSecond = try cli.succeed(["list", "--json", "--query", "", "--fields", "project_id,fingerprint,times_seen", "--store", second])
                    let secondSeen = (try JSONSerialization.jsonObject(with: Data(inSecond.utf8)) as? [[String: Any]] ?? [])
                        .first { "\($0["project_id"] as? Int ?? 0)/\($0["fingerprint"] as? String ?? "")" == key }?["times_seen"] as? Int ?? 0
                    XCTAssertEqual(byKey[key]?.timesSeen, (group["times_seen"] as? Int ?? 0) + secondSeen, "\(key): both stores' events")
                }
                if store == second, try server.admin("SELECT 1 FROM groups WHERE id = \(group["id"] as? Int ?? 0) AND fingerprint <> '\((group["fingerprint"] as? String ?? "").replacingOccurrences(of: "'", with: "''"))'", database: database).count == 1 {
                    renumbered += 1
                }
            }
        }
        XCTAssertEqual(byKey.values.filter { $0.kept == 0 }.count, 0, "every group has its occurrences")
        XCTAssertGreaterThan(renumbered, 0, "the second store's project 3 groups met taken ids")
        // The copy names each group whose short id changed; the new one finds it in the team store.
        let changes = secondCopy.split(separator: "\n").compactMap { line in
            line.firstMatch(of: /^  (P\w+-\w+) is now (P\w+-\w+) \(/).map { (String($0.1), String($0.2)) }
        }
        XCTAssertFalse(changes.isEmpty, secondCopy)
        for (old, new) in changes.prefix(3) {
            func title(_ id: String, _ store: String) throws -> String {
                try cli.succeed(["list", "--plain", "--fields", "title", "--query", "id:\(id)", "--store", store])
            }
            XCTAssertEqual(try title(new, url), try title(old, second), "\(old) is \(new)")
        }
        // New groups made in the team store take ids after every copied one.
        let next: Int64? = try server.admin("SELECT nextval(pg_get_serial_sequence('groups', 'id')) AS id", database: database).first?.get("id")
        let largest: Int64? = try server.admin("SELECT max(id) AS id FROM groups", database: database).first?.get("id")
        XCTAssertGreaterThan(next ?? 0, largest ?? 0)
    }

    func test_statusChangesAndPriorityActOnTheTeamStoreAsOnSQLite() throws {
        let local = try cli.filledStore()
        try migrated()
        try cli.succeed(["store", "copy", "--from", local, "--to", url])
        let ids = try cli.succeed(["list", "--plain", "--fields", "short_id", "--limit", "3", "--store", local]).split(separator: "\n").map(String.init)
        XCTAssertEqual(ids.count, 3)
        for store in [url, local] {
            XCTAssertTrue(try cli.succeed(["resolve", ids[0], ids[1], "--store", store]).contains("\(ids[0]): "))
            try cli.succeed(["ignore", ids[2], "--for", "2h", "--store", store])
            try cli.succeed(["unresolve", ids[1], "--store", store])
            try cli.succeed(["priority", "low", ids[0], "--store", store])
            // All or nothing: one group that cannot be ignored until escalating refuses the lot.
            let refused = try cli.run(["resolve", ids[0], "P9-ZZZZ", "--store", store])
            XCTAssertEqual(refused.status, 1)
            XCTAssertTrue(refused.stderr.contains("no group"), refused.stderr)
        }
        let fields = "short_id,status,substatus,priority"
        for query in ["", "is:resolved", "is:ignored"] {
            XCTAssertEqual(try cli.succeed(["list", "--plain", "--fields", fields, "--query", query, "--store", url]),
                           try cli.succeed(["list", "--plain", "--fields", fields, "--query", query, "--store", local]), query)
        }
        let show = try cli.succeed(["show", ids[2], "--store", url])
        // The team store records the database role that made the change, not what the client says.
        XCTAssertTrue(show.contains("(user, by \(PostgresServer.superuser))"), show)
        // Analytics of a team store's actions go to the data home: a URL has no directory to put them beside.
        XCTAssertTrue(FileManager.default.fileExists(atPath: cli.home + "/data/triage/analytics.jsonl"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.home + "/postgres:"))
    }
}

/// TLS as libpq's sslmodes mean it, against the harness server's certificate (signed by a test CA).
final class TeamStoreTLSTests: TeamStoreTestCase {
    func test_verifyFullTrustsTheNamedCAAndRefusesAServerItCannotVerify() throws {
        let plain = server.url(database).replacingOccurrences(of: "?sslmode=disable", with: "")
        try cli.succeed(["store", "migrate", "--store", plain + "?sslmode=require"])
        XCTAssertEqual(try server.admin("SELECT count(*) AS n FROM pg_stat_ssl WHERE ssl").first?.get("n") as Int?, 0,
                       "the harness's own sessions do not use TLS")
        // The certificate names localhost.
        let named = plain.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        XCTAssertEqual(try cli.succeed(["list", "--plain", "--store", named + "?sslmode=verify-full&sslrootcert=\(server.certificateAuthority)"]), "")
        let session = try PostgresSession.connect(PostgresLocation(parsing: named + "?sslmode=verify-full&sslrootcert=\(server.certificateAuthority)"),
                                                  password: nil)
        XCTAssertEqual(try session.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?.get("ssl"), true)

        let untrusted = try cli.run(["list", "--store", named + "?sslmode=verify-full&sslrootcert=\(server.otherAuthority)"])
        XCTAssertEqual(untrusted.status, 1)
        XCTAssertTrue(untrusted.stderr.hasPrefix("triage: cannot reach the team store at "), untrusted.stderr)
        XCTAssertTrue(untrusted.stderr.lowercased().contains("certificate"), untrusted.stderr)
        // An address the certificate does not name cannot be checked by name: refused before connecting.
        let address = try cli.run(["list", "--store", plain + "?sslmode=verify-full&sslrootcert=\(server.certificateAuthority)"])
        XCTAssertEqual(address.status, 1)
        XCTAssertTrue(address.stderr.contains("sslmode=verify-full checks the host's name against its certificate, and 127.0.0.1 is an address"),
                      address.stderr)
    }
}
