// The contract of `IssueStore`, written once and run on every backend in `StoreBackend.all`.
//
// To run it on another backend: write a type conforming to `StoreUnderContract` that opens an empty
// store of that backend on the given clock and settings and ingests payloads through that backend's
// own ingest, add a `StoreBackend` making it beside `sqlite` below, and list it in `all`. Every test
// in this target then runs on it too, named after it. The team store (`postgres`) runs wherever the
// harness has a PostgreSQL 15 (`PostgresServer`), and fails the run without one under
// `TRIAGE_REQUIRE_POSTGRES=1`.

import Foundation
import Testing
import TriageEngine
import TriageTestSupport

/// An empty store of one backend, fed occurrence payloads through that backend's own ingest.
protocol StoreUnderContract {
    var store: any IssueStore { get }
    /// The store's clock, which tests move.
    var clock: ManualClock { get }
    /// Ingests `payloads` (one JSON document each) as the backend's ingest pipeline does.
    func ingest(_ payloads: [String]) throws
}

/// How to make a store of one backend for one test.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (_ settings: EngineSettings, _ now: Double) throws -> any StoreUnderContract

    var testDescription: String { name }

    static let all: [StoreBackend] = [.sqlite] + (PostgresUnderContract.isRunnable ? [.postgres] : [])

    static let sqlite = StoreBackend(name: "SQLite") { settings, now in SQLiteUnderContract(try Workspace(settings: settings, now: now)) }

    static let postgres = StoreBackend(name: "PostgreSQL") { settings, now in try PostgresUnderContract(settings: settings, now: now) }

    /// A store of this backend holding `payloads`, its clock at `now`.
    func store(holding payloads: [String] = [], now: Double = 1_790_000_000,
               settings: EngineSettings = EngineSettings()) throws -> any StoreUnderContract {
        let made = try make(settings, now)
        if !payloads.isEmpty { try made.ingest(payloads) }
        return made
    }
}

/// The SQLite store in a temporary directory, fed through a real spool.
struct SQLiteUnderContract: StoreUnderContract {
    let workspace: Workspace
    var store: any IssueStore { workspace.store }
    var clock: ManualClock { workspace.clock }

    init(_ workspace: Workspace) { self.workspace = workspace }

    func ingest(_ payloads: [String]) throws {
        let report = try workspace.ingest(payloads)
        #expect(report.rejected == 0, "the fixture's payloads are valid: \(report.notes)")
    }
}

extension StoreUnderContract {
    /// The groups `query` matches, newest first.
    func groups(_ query: String = "", sort: GroupSort = .lastSeen) throws -> [Group] {
        try store.groups(matching: parse(query), sort: sort, limit: nil, offset: 0)
    }

    func parse(_ query: String) throws -> GroupQuery { try QueryParser(registry: store.registry).parse(query) }
}
