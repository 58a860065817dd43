import FlyingFox
import FlyingSocks
import Foundation
import TriageEngine

/// `GET /metrics` on the given address, for Prometheus to scrape while `ingest --follow` runs.
/// Serving happens on Swift's concurrency pool; the ingest loop keeps its own thread.
enum MetricsEndpoint {
    /// Starts serving and returns the address actually bound (port 0 picks a free one).
    static func start(_ address: String, metrics: TriageMetrics, store: SQLiteStore) throws -> String {
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]) else {
            throw TriageFailure.usage("--metrics-addr must be HOST:PORT, like 127.0.0.1:9464")
        }
        let socketAddress: sockaddr_in
        do { socketAddress = try .inet(ip4: String(parts[0]), port: port) } catch {
            throw TriageFailure.usage("--metrics-addr: \(parts[0]) is not an IPv4 address")
        }
        let server = HTTPServer(address: socketAddress, logger: .disabled)
        let started = StartOutcome()
        Task {
            await server.appendRoute("GET /metrics") { _ in
                try? StoreGauges.update(metrics, from: store)
                return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                                    body: Data(metrics.exposition().utf8))
            }
            do {
                // A bind that fails is reported at once, not after waitUntilListening's own
                // timeout (which the group would wait for before throwing).
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do { try await server.run() } catch {
                            started.finish(.failure(error))
                            throw error
                        }
                    }
                    group.addTask {
                        try await server.waitUntilListening()
                        let bound = await server.listeningAddress
                        if case let .ip4(host, port) = bound { started.finish(.success("\(host):\(port)")) }
                    }
                    try await group.waitForAll()
                }
            } catch {
                started.finish(.failure(error))
            }
        }
        switch started.wait() {
        case let .success(bound): return bound
        case let .failure(error): throw TriageFailure.runtime("cannot serve metrics on \(address): \(reason(error))")
        }
    }

    /// The system's words ("address already in use"), not the socket library's.
    private static func reason(_ error: any Error) -> String {
        if case let SocketError.failed(_, number, _) = error { return String(cString: strerror(number)).lowercased() }
        return "\(error)"
    }
}

/// The server's first news (listening or failed), handed to the waiting thread.
private final class StartOutcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome: Result<String, any Error>?

    func finish(_ result: Result<String, any Error>) {
        let first = lock.withLock { () -> Bool in
            guard outcome == nil else { return false }
            outcome = result
            return true
        }
        if first { done.signal() }
    }

    func wait() -> Result<String, any Error> {
        done.wait()
        return lock.withLock { outcome! }
    }
}
