import CLinuxCalls
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
    ///
    /// The program runs in a process group of its own that dies with this process (even by
    /// `kill -9`): a courier killed mid-delivery leaves no notifier running on, to deliver again
    /// what the courier that takes over will send. At its timeout the whole group is stopped.
    static func run(_ argv: [String], input: [UInt8], timeout: Double) throws(Failure) -> Outcome {
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        let arguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        let pid = triage_spawn_tied(argv[0], arguments, stdin.fileHandleForReading.fileDescriptor,
                                    stdout.fileHandleForWriting.fileDescriptor, stderr.fileHandleForWriting.fileDescriptor)
        // The child holds its own copies: ours must close, or its output never ends.
        try? stdin.fileHandleForReading.close()
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        guard pid > 0 else {
            let reason = String(cString: strerror(errno))
            try? stdin.fileHandleForWriting.close()
            throw Failure(description: "cannot run \(argv[0]): \(reason)")
        }
        let exit = ChildExit(pid: pid)
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
        guard let status = exit.wait(seconds: timeout) else {
            kill(-pid, SIGTERM)
            if exit.wait(seconds: 2) == nil { kill(-pid, SIGKILL) }
            _ = exit.wait(seconds: 2)
            throw Failure(description: "\(argv[0]) did not finish within \(DurationText.format(timeout))", timedOut: true)
        }
        _ = readers.wait(timeout: .now() + 2)
        let (out, err) = collected.get()
        let stderrTail = String(decoding: err.suffix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : status & 0x7f
        guard exited, code == 0 else {
            let how = exited ? "exited with \(code)" : "was killed by signal \(code)"
            throw Failure(description: "\(argv[0]) \(how)\(stderrTail.isEmpty ? "" : ": \(TerminalText.sanitize(stderrTail))")")
        }
        return Outcome(stdout: out, stderrTail: stderrTail)
    }
}

/// A child's exit status, waited for on a thread of its own so the caller can give up at a timeout.
private final class ChildExit: @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var status: Int32?

    init(pid: pid_t) {
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            condition.withLock {
                self.status = status
                condition.broadcast()
            }
        }
        thread.start()
    }

    /// The raw wait status, or nil if the child is still running after `seconds`.
    func wait(seconds: Double) -> Int32? {
        condition.withLock {
            let deadline = Date().addingTimeInterval(seconds)
            while status == nil, condition.wait(until: deadline) {}
            return status
        }
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
