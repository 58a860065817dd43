import Foundation
import GRDB
import TriageEngine
import TriagePostgres
import TriageTestSupport
import XCTest

/// Notification ids are taken when a row is written, not when it commits: a screen counting them
/// must not lose one whose transaction commits after a higher id's.
final class TeamNotificationOrderTests: TeamStoreTestCase {
    private let insert = "INSERT INTO notifications (group_id, reason, at, detail) VALUES (?, 'new_group', 0, NULL) RETURNING id"

    private func session() throws -> PostgresSession {
        try PostgresSession.connect(try PostgresLocation(parsing: url), password: nil)
    }

    func test_aNotificationWhoseTransactionCommitsAfterAHigherIdsIsStillReadOnce() throws {
        try filledTeamStore(url)
        let store = try PostgresStore(session: try session())
        let group: Int64 = try XCTUnwrap(try store.groups(matching: .all, sort: .lastSeen, limit: 1, offset: 0).first?.id)
        var cursor = NotificationCursor(after: try store.latestNotificationID())
        let (early, late) = (try session(), try session())
        try early.begin()
        let low: Int64 = try XCTUnwrap(try early.query(insert, [group.databaseValue]).first?.get("id"))
        try late.begin()
        let high: Int64 = try XCTUnwrap(try late.query(insert, [group.databaseValue]).first?.get("id"))
        XCTAssertLessThan(low, high)
        try late.commit()
        XCTAssertEqual(try cursor.read(from: store, now: 0).map(\.id), [high])
        XCTAssertEqual(cursor.awaited, [low], "the lower id is still in flight")
        try early.commit()
        XCTAssertEqual(try cursor.read(from: store, now: 1).map(\.id), [low], "read when it committed")
        XCTAssertEqual(try cursor.read(from: store, now: 2).map(\.id), [], "and only once")
        XCTAssertEqual(cursor.awaited, [])
    }

    /// A rolled-back transaction's id never fills: it is looked for a while, then given up.
    func test_anIdWhoseTransactionRolledBackIsGivenUpAfterAWhile() throws {
        try filledTeamStore(url)
        let store = try PostgresStore(session: try session())
        let group: Int64 = try XCTUnwrap(try store.groups(matching: .all, sort: .lastSeen, limit: 1, offset: 0).first?.id)
        var cursor = NotificationCursor(after: try store.latestNotificationID())
        let (abandoned, kept) = (try session(), try session())
        try abandoned.begin()
        try abandoned.query(insert, [group.databaseValue])
        try abandoned.rollback()
        let id: Int64 = try XCTUnwrap(try kept.query(insert, [group.databaseValue]).first?.get("id"))
        XCTAssertEqual(try cursor.read(from: store, now: 0).map(\.id), [id])
        XCTAssertEqual(cursor.awaited.count, 1)
        XCTAssertEqual(try cursor.read(from: store, now: NotificationCursor.holeLifetime + 1).map(\.id), [])
        XCTAssertEqual(cursor.awaited, [], "given up")
    }
}
