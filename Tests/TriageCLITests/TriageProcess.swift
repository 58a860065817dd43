import Foundation
import TriageTestSupport

/// Runs the real `triage` binary: `$TRIAGE_BIN` (scripts/test points it at the release build), else
/// the debug build `swift test` made in this package's `.build`.
enum TriageProcess {
    static let binary = TriageBinary.path

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs to completion with a clean environment (no colour, no user config or data), plus `environment`.
    @discardableResult
    static func run(_ arguments: [String], home: String, environment: [String: String] = [:]) throws -> Result {
        let process = try start(arguments, home: home, environment: environment)
        let stdout = process.standardOutput as! Pipe
        let stderr = process.standardError as! Pipe
        // Read before waiting, so a full pipe cannot deadlock the child.
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs to completion like `run`, and returns the child's own peak RSS in KiB: its high-water
    /// mark (`VmHWM`), read every 5 ms while it runs. Not `getrusage(RUSAGE_CHILDREN)`: that is the
    /// largest of every child reaped so far, other tests' included (a fuzz replay under
    /// AddressSanitizer takes over 200 MB). Its output must fit the pipes (64 KiB each).
    static func runMeasuringPeakRSS(_ arguments: [String], home: String) throws -> (result: Result, peakKiB: Int) {
        let process = try start(arguments, home: home)
        var peak = 0
        while process.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
               let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kiB = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
                peak = max(peak, kiB)
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        let out = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        let err = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
        return (Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                       stderr: String(decoding: err, as: UTF8.self)), peak)
    }

    static func start(_ arguments: [String], home: String, quietOutput: Bool = false,
                      environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = [
            "HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config",
            "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "USER": "tester",
        ].merging(environment) { _, added in added }
        if quietOutput {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        } else {
            process.standardOutput = Pipe()
            process.standardError = Pipe()
        }
        try process.run()
        return process
    }

    /// Runs a shell command line; returns its standard output.
    static func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}
