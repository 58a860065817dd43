import Foundation
import TriagePostgres
import TriageTestSupport
import XCTest

/// What a user reads when the team store cannot do what was asked: a sentence naming the cause and
/// what to do, never a library's type dump, and never a silent fall-back to a local store.
final class TeamStoreMessageTests: TeamStoreTestCase {
    func test_aURLOfAnotherSchemeIsRefusedNotTakenForALocalFile() throws {
        for text in ["mysql://owner@127.0.0.1/triage", "postgress://owner@127.0.0.1/triage"] {
            let result = try cli.run(["list", "--store", text])
            XCTAssertEqual(result.status, 2, result.stderr)
            XCTAssertTrue(result.stderr.contains("is not a store: a team store is a postgres:// or postgresql:// URL"), result.stderr)
        }
        // A team URL with its slashes mistyped is no file path either, for ingest (which would drain a
        // spool into it) as for list.
        for text in ["postgres:/alice@127.0.0.1:5544/triage", "postgresql:alice@127.0.0.1/triage", "postgres//alice@127.0.0.1/triage"] {
            for command in [["list"], ["ingest", "--spool", cli.home + "/spool"]] {
                let result = try cli.run(command + ["--store", text])
                XCTAssertEqual(result.status, 2, result.stderr)
                XCTAssertTrue(result.stderr.contains("is not a store: a team store's URL starts postgres:// or postgresql:// (two slashes)"),
                              result.stderr)
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cli.home).filter { $0.lowercased().hasPrefix("postgres") || $0.hasSuffix(":") },
                       [], "no directory named after the scheme was made")
        // Schemes are case-insensitive (RFC 3986): an upper-case one is the team store.
        try cli.succeed(["store", "migrate", "--store", url.replacingOccurrences(of: "postgres://", with: "POSTGRES://")])
    }

    func test_aRefusedConnectionSaysNobodyListensThere() throws {
        let port = 1  // privileged: no server of a test run listens there
        let url = "postgres://owner@127.0.0.1:\(port)/triage?sslmode=disable"
        for command in [["list"], ["ingest", "--spool", cli.home + "/spool"]] {
            let result = try cli.run(command + ["--store", url])
            XCTAssertEqual(result.status, 1)
            XCTAssertEqual(result.stderr, "triage: cannot reach the team store at 127.0.0.1:\(port): "
                           + "connection refused — is the server running, and listening on port \(port)?\n")
        }
    }

    /// A login the server refuses is no outage: `--follow` ends at once instead of retrying for good.
    func test_aLoginTheServerRefusesEndsEvenAFollowingIngester() throws {
        let url = server.url("no_such_database")
        try FileManager.default.createDirectory(atPath: cli.home + "/spool", withIntermediateDirectories: true)
        for command in [["list"], ["ingest", "--spool", cli.home + "/spool"], ["ingest", "--follow", "--spool", cli.home + "/spool"]] {
            let result = try cli.run(command + ["--store", url], killedAfter: 30)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("triage: the team store at 127.0.0.1:"), result.stderr)
            XCTAssertTrue(result.stderr.contains("refused the login: database \"no_such_database\" does not exist"), result.stderr)
            XCTAssertFalse(result.stderr.contains("retrying"), result.stderr)
        }
    }

    /// A socket directory the server does not use (a typo, another cluster's) names the socket looked for.
    func test_aWrongSocketDirectorySaysNoServerSocketIsThere() throws {
        let directory = cli.home + "/no-server-here"
        let url = "postgres://owner@/triage?host=\(directory)&port=5432"
        for command in [["list"], ["ingest", "--spool", cli.home + "/spool"]] {
            let result = try cli.run(command + ["--store", url])
            XCTAssertEqual(result.status, 1)
            XCTAssertEqual(result.stderr, "triage: cannot reach the team store at \(directory)/.s.PGSQL.5432: no server socket at "
                           + "\(directory)/.s.PGSQL.5432 — is the server running, with its socket in \(directory)?\n")
        }
    }

    /// The TUI says why the store is away from what its change feed heard: the same sentences.
    func test_theChangeFeedSaysWhyInTheSameWords() throws {
        for (url, reason) in [("postgres://owner@127.0.0.1:1/triage?sslmode=disable", "connection refused — is the server running"),
                              ("postgres://owner@/triage?host=\(cli.home)/none&port=5432", "no server socket at \(cli.home)/none/.s.PGSQL.5432")] {
            let said = FirstReason()
            let feed = PostgresChangeFeed(location: try PostgresLocation(parsing: url), password: nil)
            feed.start { event in
                if case let .unreachable(text) = event { said.set(text) }
            }
            let text = said.wait(seconds: 5)
            feed.stop()
            XCTAssertTrue(text?.hasPrefix(reason) == true, text ?? "nothing heard")
            RawSystemText.assertAbsent(text ?? "")
        }
    }

    func test_aTLSFailureNamesTheCertificateFileAndNoSourcePath() throws {
        let url = self.url.replacingOccurrences(of: "?sslmode=disable", with: "").replacingOccurrences(of: "127.0.0.1", with: "localhost")
        let untrusted = try cli.run(["list", "--store", url + "?sslmode=verify-full&sslrootcert=\(server.otherAuthority)"])
        XCTAssertTrue(untrusted.stderr.contains("is not signed by the CA in sslrootcert \(server.otherAuthority)"), untrusted.stderr)
        XCTAssertFalse(untrusted.stderr.contains(".build/"), untrusted.stderr)
        let missing = try cli.run(["list", "--store", url + "?sslmode=verify-full&sslrootcert=/nonexistent.crt"])
        XCTAssertTrue(missing.stderr.contains("sslrootcert /nonexistent.crt does not exist"), missing.stderr)
    }

    func test_aRoleWithoutATriageRoleIsToldWhichRolesThereAre() throws {
        try cli.succeed(["store", "migrate", "--store", url])
        try server.admin("DO $$ BEGIN CREATE ROLE stranger LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        let result = try cli.run(["list", "--store", server.url(database, user: "stranger")])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("permission denied"), result.stderr)
        XCTAssertTrue(result.stderr.contains("the role stranger may not do this: on-call engineers are members of triage_oncall"), result.stderr)
    }

    func test_aChangeWaitingOnAnotherSessionsLockGivesUpSayingWhy() throws {
        try cli.succeed(["store", "migrate", "--store", url])
        try cli.succeed(["store", "copy", "--from", try cli.filledStore(), "--to", url])
        // Another session holds every group's row, as a long transaction would.
        let holder = try PostgresSession.connect(PostgresLocation(parsing: url), password: nil)
        let started = Date()
        let open = try cli.succeed(["list", "--plain", "--fields", "short_id", "--limit", "1", "--store", url]).trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try holder.transaction { transaction in
            try transaction.query("SELECT id FROM groups FOR UPDATE")
            return try cli.run(["resolve", open, "--store", url])
        }
        XCTAssertEqual(result.status, 1, result.stdout)
        XCTAssertTrue(result.stderr.contains("another session held what this change needs for \(PostgresSession.lockTimeoutSeconds) s"), result.stderr)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), Double(PostgresSession.lockTimeoutSeconds) - 1)
        XCTAssertTrue(try cli.succeed(["list", "--plain", "--fields", "short_id", "--store", url]).contains(open), "nothing was changed")
    }
}

/// The first reason a change feed gave for the store being away, for a test to wait on.
private final class FirstReason: @unchecked Sendable {
    private let condition = NSCondition()
    private var text: String?

    func set(_ reason: String) {
        condition.withLock {
            if text == nil { text = reason }
            condition.broadcast()
        }
    }

    func wait(seconds: Double) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while text == nil, condition.wait(until: deadline) {}
            return text
        }
    }
}
