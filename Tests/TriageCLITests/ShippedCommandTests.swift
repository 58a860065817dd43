import Foundation
import GRDB
import Testing

/// What a user's copy of the binary says about itself.
@Suite struct ShippedCommandTests {
    @Test func test_versionNamesTheStoreSchemaItWrites() throws {
        let scratch = Scratch()
        let version = try TriageProcess.run(["--version"], home: scratch.path)
        #expect(version.status == 0)
        let match = try #require(version.stdout.wholeMatch(of: /triage \d+\.\d+\.\d+ \(store schema (v\d+)\)\n/))
        // The schema a new store is written with: the newest migration's name.
        let store = scratch.path + "/store.sqlite"
        #expect(try TriageProcess.run(["list", "--store", store], home: scratch.path).status == 0)
        let newest = try DatabaseQueue(path: store).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
            .compactMap { $0.split(separator: ":").first.map(String.init) }
            .max { Int($0.dropFirst())! < Int($1.dropFirst())! }
        #expect(newest == String(match.output.1))
    }

    @Test func test_benchUIIsNotListedInHelpButStillRuns() throws {
        let scratch = Scratch()
        let help = try TriageProcess.run(["--help"], home: scratch.path)
        #expect(help.status == 0)
        #expect(help.stdout.contains("ingest"))
        #expect(!help.stdout.contains("bench-ui"))
        let benchHelp = try TriageProcess.run(["bench-ui", "--help"], home: scratch.path)
        #expect(benchHelp.status == 0)
        #expect(benchHelp.stdout.contains("--typing-interval"))
    }
}
