import Foundation
import Logging
import Testing
import TriageEngine
import TriagePostgres
import TriageTestSupport

/// The team store in a fresh database of the harness's PostgreSQL, fed through a real spool by the
/// team store's own ingest (`PostgresIngestStore`), as `triage ingest --store postgres://…` does.
struct PostgresUnderContract: StoreUnderContract {
    let store: any IssueStore
    let clock: ManualClock
    private let location: PostgresLocation
    private let settings: EngineSettings
    private let directory = TemporaryDirectory()

    /// With a server, or without one when it is required (the tests then fail, saying why); without
    /// one otherwise the contract runs on SQLite alone, and says so once.
    static let isRunnable: Bool = {
        if case let .failure(reason) = PostgresServer.started, !PostgresServer.isRequired {
            FileHandle.standardError.write(Data("StoreContractTests: the contract runs on SQLite only: \(reason)\n".utf8))
            return false
        }
        return true
    }()

    init(settings: EngineSettings, now: Double) throws {
        let server = try PostgresServer.require()
        location = try PostgresLocation(parsing: server.url(try server.makeDatabase()))
        let session = try PostgresSession.connect(location, password: nil)
        _ = try PostgresSchema.migrate(session)
        clock = ManualClock(now)
        self.settings = settings
        // The contract passes actors by name, as SQLite records them; the team store's default, the
        // server's role, is TeamLiveTests'.
        store = try PostgresStore(session: session, settings: settings, clock: clock, actorSource: .env)
    }

    func ingest(_ payloads: [String]) throws {
        try FileManager.default.createDirectory(atPath: directory.path + "/spool", withIntermediateDirectories: true)
        directory.write("spool/" + UUID().uuidString + ".jsonl", payloads.joined(separator: "\n"))
        let spool = try SpoolDirectory(path: directory.path + "/spool")
        let location = self.location
        let ingestStore = PostgresIngestStore(spool: spool, registry: store.registry, settings: settings, clock: clock) {
            try PostgresSession.connect(location, password: nil)
        }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let report = try SpoolIngestor(ingestingInto: ingestStore, spool: spool, limits: .default, logger: quiet, batchRows: 10_000,
                                       notifications: nil, analytics: .disabled, metrics: nil, longestTransaction: 1, memory: .throughput,
                                       priority: .normal).ingestAvailable()
        #expect(report.rejected == 0, "the fixture's payloads are valid: \(report.notes)")
    }
}
