import Foundation
import XCTest
import TriageTestSupport

/// The real `triage` binary ($TRIAGE_BIN, else the debug build next to the tests), run with a clean
/// environment in a temporary home, for the team-store tests.
struct TeamCLI {
    static let binary = TriageBinary.path

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let home: String

    /// A fresh home directory, removed when the test ends.
    init(_ test: XCTestCase) throws {
        home = NSTemporaryDirectory() + "/triage-team-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let home = self.home
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: home) }
    }

    @discardableResult
    /// `killedAfter`: seconds after which `timeout(1)` kills it (status 137), for a command that
    /// might wait for ever.
    func run(_ arguments: [String], environment: [String: String] = [:], killedAfter seconds: Int? = nil) throws -> Result {
        let process = Process()
        if let seconds {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["--signal=KILL", String(seconds), Self.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
        }
        process.environment = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config", "XDG_STATE_HOME": home + "/state",
                               "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "USER": "tester"].merging(environment) { _, added in added }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        try process.run()
        // Read both before waiting, so a full pipe cannot deadlock the child.
        let errData = LockedData()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1_000) }
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// Runs and fails the test unless it exits 0; returns its standard output.
    @discardableResult
    func succeed(_ arguments: [String], environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try run(arguments, environment: environment)
        XCTAssertEqual(result.status, 0, "triage \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// A SQLite store filled by ingesting a generated spool: groups, noise, status changes, users.
    func filledStore() throws -> String {
        let spool = home + "/spool"
        let store = home + "/local.sqlite"
        try succeed(["gen", "--out", spool, "--occurrences", "400", "--groups", "40", "--projects", "2", "--seed", "7",
                     "--status-fraction", "0.05", "--noise-fraction", "0.1", "--users", "30"])
        let ingest = try run(["ingest", "--spool", spool, "--store", store, "--config", "/dev/null"])
        XCTAssert([0, 3].contains(ingest.status), ingest.stderr)
        return store
    }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    func get() -> Data { lock.withLock { data ?? Data() } }
}
