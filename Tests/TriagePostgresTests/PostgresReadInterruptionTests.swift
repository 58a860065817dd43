import Foundation
import TriageEngine
import TriagePostgres
import TriageTestSupport
import XCTest

/// The keystroke budget on the team store: a read the UI stops (another key is waiting) is
/// cancelled on the server and gives the connection back at once, as SQLite's progress handler does.
final class PostgresReadInterruptionTests: XCTestCase {
    private var session: PostgresSession!

    override func setUpWithError() throws {
        let server = try PostgresServer.shared()
        let location = try PostgresLocation(parsing: server.url(try server.makeDatabase()))
        session = try PostgresSession.connect(location, password: nil)
    }

    func test_aReadStoppedWhileTheServerWorksIsCancelledThereAndTheConnectionIsFreeAtOnce() throws {
        let started = Date()
        XCTAssertThrowsError(try ReadInterruption.run(stoppingWhen: { Date().timeIntervalSince(started) > 0.05 }) {
            try session.query("SELECT pg_sleep(10)")
        }) { error in
            XCTAssertTrue(error is ReadInterrupted, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the statement was cancelled, not waited for")
        // The server ended the statement: nothing of it runs on, and the next read answers.
        let active = try session.query("""
            SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'
            """).first?.get("n") as Int64?
        XCTAssertEqual(active, 0)
        XCTAssertEqual(try session.query("SELECT 41 + 1 AS answer").first?.get("answer") as Int64?, 42)
    }

    func test_aReadAskedToStopBeforeItStartsDoesNotStartAndOneLeftAloneFinishes() throws {
        XCTAssertThrowsError(try ReadInterruption.run(stoppingWhen: { true }) { try session.query("SELECT 1 AS one") }) { error in
            XCTAssertTrue(error is ReadInterrupted, "\(error)")
        }
        let rows = try ReadInterruption.run(stoppingWhen: { false }) { try session.query("SELECT pg_sleep(0.05), 7 AS seven") }
        XCTAssertEqual(rows.first?.get("seven") as Int64?, 7)
    }
}
