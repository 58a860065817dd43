import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one notification (its JSON, one line) somewhere; throws a readable reason on failure.
protocol NotificationTransport {
    func send(_ json: [UInt8]) throws
}

struct DeliveryFailure: Error, CustomStringConvertible {
    let description: String
}

enum NotificationTransports {
    static func make(_ config: NotifierConfig) -> any NotificationTransport {
        switch config {
        case let .jsonl(_, path): return JSONLinesTransport(path: path)
        case let .command(_, argv, timeout): return CommandTransport(argv: argv, timeout: timeout)
        case let .webhook(_, url, timeout): return WebhookTransport(url: url, timeout: timeout)
        }
    }
}

/// Appends the line with one `write` on an `O_APPEND` descriptor, so concurrent writers never
/// interleave within a line.
struct JSONLinesTransport: NotificationTransport {
    let path: String

    func send(_ json: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DeliveryFailure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let line = json + [0x0A]
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else { throw DeliveryFailure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        guard fsync(descriptor) == 0 else { throw DeliveryFailure(description: "cannot sync \(path): \(String(cString: strerror(errno)))") }
    }
}

/// Runs the program with the JSON on standard input; exit status 0 within the timeout is success.
struct CommandTransport: NotificationTransport {
    let argv: [String]
    let timeout: Double

    func send(_ json: [UInt8]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch {
            throw DeliveryFailure(description: "cannot run \(argv[0]): \(error.localizedDescription)")
        }
        // A program that exits without reading its input must not kill us: with SIGPIPE ignored the
        // write just fails, and the exit status decides.
        signal(SIGPIPE, SIG_IGN)
        try? input.fileHandleForWriting.write(contentsOf: json + [0x0A])
        try? input.fileHandleForWriting.close()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            _ = finished.wait(timeout: .now() + 2)
            throw DeliveryFailure(description: "\(argv[0]) did not finish within \(DurationText.format(timeout))")
        }
        let stderrTail = String(decoding: errors.fileHandleForReading.readDataToEndOfFile().suffix(200), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exited with \(process.terminationStatus)" : "was killed by signal \(process.terminationStatus)"
            throw DeliveryFailure(description: "\(argv[0]) \(how)\(stderrTail.isEmpty ? "" : ": \(stderrTail)")")
        }
    }
}

/// POSTs the JSON; any 2xx answer within the timeout is success.
struct WebhookTransport: NotificationTransport {
    let url: String
    let timeout: Double

    func send(_ json: [UInt8]) throws {
        guard let target = URL(string: url) else { throw DeliveryFailure(description: "not a URL: \(url)") }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json)
        let outcome = WebhookOutcome()
        let done = DispatchSemaphore(value: 0)
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request) { _, response, error in
            outcome.set(status: (response as? HTTPURLResponse)?.statusCode, error: error?.localizedDescription)
            done.signal()
        }.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            throw DeliveryFailure(description: "\(url) did not answer within \(DurationText.format(timeout))")
        }
        let (status, error) = outcome.get()
        if let error { throw DeliveryFailure(description: "\(url): \(error)") }
        guard let status, (200..<300).contains(status) else {
            throw DeliveryFailure(description: "\(url) answered \(status.map(String.init) ?? "nothing")")
        }
    }
}

/// The completion handler's result, handed across threads.
private final class WebhookOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int?
    private var error: String?

    func set(status: Int?, error: String?) { lock.withLock { (self.status, self.error) = (status, error) } }
    func get() -> (Int?, String?) { lock.withLock { (status, error) } }
}
