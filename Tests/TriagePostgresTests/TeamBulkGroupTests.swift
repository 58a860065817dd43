import Foundation
import Logging
@testable import TriageEngine
import TriagePostgres
import TriageTestSupport
import XCTest

/// The team store creates a decoded batch's new groups in one statement, ahead of their first
/// occurrences: what readers and the rules see must be what creating them one by one gives.
final class TeamBulkGroupTests: TeamStoreTestCase {
    private let directory = TemporaryDirectory()

    private func ingest(_ lines: [String], batchRows: Int, afterWrite: ((Occurrence) throws -> Void)? = nil) throws -> IngestReport {
        let url = try migratedStore()
        let location = try PostgresLocation(parsing: url)
        try FileManager.default.createDirectory(atPath: directory.path + "/spool", withIntermediateDirectories: true)
        directory.write("spool/batch.jsonl", lines.joined(separator: "\n"))
        let spool = try SpoolDirectory(path: directory.path + "/spool")
        let settings = EngineSettings()
        let registry = GroupTypeRegistry.builtIn
        let ingestStore = PostgresIngestStore(spool: spool, registry: registry, settings: settings, clock: ManualClock(1_790_000_000)) {
            try PostgresSession.connect(location, password: nil)
        }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let ingestor = try SpoolIngestor(ingestingInto: ingestStore, spool: spool, limits: .default, logger: quiet, batchRows: batchRows,
                                         notifications: nil, analytics: .disabled, metrics: nil, longestTransaction: 60,
                                         memory: .throughput, priority: .normal)
        ingestor.hooks.afterWrite = afterWrite
        self.url = url
        return try ingestor.ingestAvailable()
    }

    private func count(_ sql: String) throws -> Int {
        try server.admin("SELECT (\(sql)) AS n", database: database(of: url)).first?.get("n") ?? -1
    }

    func test_aCommitInMidBatchPublishesNoGroupSeenZeroTimes() throws {
        let lines = (1...30).map { PayloadBuilder.bare(id: $0, fingerprint: "fp-\($0)", title: "new \($0)").json }
        var zeroCountGroupsSeen: [Int] = []
        let report = try ingest(lines, batchRows: 3) { _ in
            // Another connection sees what each mid-batch commit published.
            zeroCountGroupsSeen.append(try self.count("SELECT count(*) FROM groups WHERE times_seen = 0"))
        }
        XCTAssertEqual(report.accepted, 30)
        XCTAssertEqual(report.groupsCreated, 30)
        XCTAssertEqual(zeroCountGroupsSeen.count, 30)
        XCTAssertEqual(Set(zeroCountGroupsSeen), [0], "a reader saw groups with no occurrence")
        XCTAssertEqual(try count("SELECT count(*) FROM groups WHERE times_seen = 1"), 30)
        XCTAssertEqual(try count("SELECT count(*) FROM status_history"), 30, "one new-group entry each, none left by a withdrawn group")
        XCTAssertEqual(try count("SELECT count(*) FROM notifications"), 30)
        XCTAssertEqual(try count("SELECT count(DISTINCT g.id) FROM groups g JOIN occurrences o ON o.group_id = g.id"), 30)
    }

    func test_aValueTheServerRefusesInABatchOfNewGroupsQuarantinesItsPayloadAlone() throws {
        // PostgreSQL's text holds no NUL character: the batch's bulk creation is refused.
        let lines = [PayloadBuilder.bare(id: 1, fingerprint: "fp-1", title: "fine").json,
                     PayloadBuilder.bare(id: 2, fingerprint: "fp-2", title: "nul \\u0000 inside").json,
                     PayloadBuilder.bare(id: 3, fingerprint: "fp-3", title: "fine too").json]
        let report = try ingest(lines, batchRows: 10_000)
        XCTAssertEqual(report.accepted + report.rejected, 3)
        XCTAssertGreaterThanOrEqual(report.accepted, 2, "\(report.notes)")
        XCTAssertEqual(try count("SELECT count(*) FROM groups WHERE fingerprint IN ('fp-1', 'fp-3') AND times_seen = 1"), 2)
        XCTAssertEqual(try count("SELECT count(*) FROM groups WHERE times_seen = 0"), 0)
    }

    func test_aStatusChangeBeforeItsGroupsFirstOccurrenceInTheBatchFindsNoGroup() throws {
        let resolve = statusChangeJSON(fingerprint: "fp-9", status: 1, substatus: nil)
        let lines = [resolve, PayloadBuilder.bare(id: 1, fingerprint: "fp-9", title: "nine").json,
                     PayloadBuilder.bare(id: 2, fingerprint: "fp-8", title: "eight").json, resolve]
        let report = try ingest(lines, batchRows: 10_000)
        XCTAssertEqual(report.accepted, 2)
        XCTAssertEqual(report.rejected, 1, "\(report.notes)")
        XCTAssertEqual(report.notes.map(\.description).first?.contains("no group in project 1 has fingerprint"), true, "\(report.notes)")
        XCTAssertEqual(try count("SELECT status FROM groups WHERE fingerprint = 'fp-9'"), 1, "the change after the occurrence resolved it")
        XCTAssertEqual(try count("SELECT status FROM groups WHERE fingerprint = 'fp-8'"), 0)
    }
}
