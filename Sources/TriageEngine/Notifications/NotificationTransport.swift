import Foundation

/// Sends one notification (its JSON, one line) somewhere; throws a readable reason on failure.
protocol NotificationTransport: Sendable {
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
        do { _ = try ChildProcess.run(argv, input: json + [0x0A], timeout: timeout) } catch {
            throw DeliveryFailure(description: error.description)
        }
    }
}

/// POSTs the JSON; any 2xx answer within the timeout is success.
struct WebhookTransport: NotificationTransport {
    let url: String
    let timeout: Double

    func send(_ json: [UInt8]) throws {
        let response: HTTPExchange.Response
        do { response = try HTTPExchange.send("POST", url, body: json, timeout: timeout) } catch {
            throw DeliveryFailure(description: error.description)
        }
        guard (200..<300).contains(response.status) else { throw DeliveryFailure(description: "\(url) answered \(response.status)") }
    }
}
