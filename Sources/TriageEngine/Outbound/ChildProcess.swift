import Foundation

/// Runs a configured program (argv, never a shell) with bytes on standard input, within a timeout.
/// Shared by the command notifier and the command tracker.
enum ChildProcess {
    struct Outcome {
        let stdout: [UInt8]
        /// The end of standard error, trimmed, for messages.
        let stderrTail: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// The program was stopped at its timeout: what it did meanwhile is unknown.
        var timedOut = false
    }

    /// Succeeds only when the program exits 0 within `timeout` seconds.
    static func run(_ argv: [String], input: [UInt8], timeout: Double) throws(Failure) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch {
            throw Failure(description: "cannot run \(argv[0]): \(error.localizedDescription)")
        }
        // A program that exits without reading its input must not kill us: with SIGPIPE ignored the
        // write just fails, and the exit status decides.
        signal(SIGPIPE, SIG_IGN)
        // Read the outputs while the program runs, so one that writes more than a pipe holds is not stuck.
        let collected = CollectedOutput()
        let readers = DispatchGroup()
        for (pipe, isStdout) in [(stdout, true), (stderr, false)] {
            DispatchQueue.global().async(group: readers) {
                collected.set(Array(pipe.fileHandleForReading.readDataToEndOfFile()), stdout: isStdout)
            }
        }
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            _ = finished.wait(timeout: .now() + 2)
            throw Failure(description: "\(argv[0]) did not finish within \(DurationText.format(timeout))", timedOut: true)
        }
        _ = readers.wait(timeout: .now() + 2)
        let (out, err) = collected.get()
        let stderrTail = String(decoding: err.suffix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exited with \(process.terminationStatus)" : "was killed by signal \(process.terminationStatus)"
            throw Failure(description: "\(argv[0]) \(how)\(stderrTail.isEmpty ? "" : ": \(TerminalText.sanitize(stderrTail))")")
        }
        return Outcome(stdout: out, stderrTail: stderrTail)
    }
}

/// Both outputs, handed across the reader threads.
private final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []

    func set(_ bytes: [UInt8], stdout isStdout: Bool) { lock.withLock { if isStdout { stdout = bytes } else { stderr = bytes } } }
    func get() -> ([UInt8], [UInt8]) { lock.withLock { (stdout, stderr) } }
}
