import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request and its answer, synchronously, within a timeout. Shared by the webhook notifier
/// and the HTTP trackers; the URL always comes from the configuration, never from a payload.
enum HTTPExchange {
    struct Response {
        let status: Int
        let body: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// No answer within the timeout: whether the server acted on the request is unknown.
        var timedOut = false
    }

    static func send(_ method: String, _ url: String, headers: [String: String] = [:], body: [UInt8]? = nil,
                     timeout: Double) throws(Failure) -> Response {
        guard let target = URL(string: url), target.scheme == "http" || target.scheme == "https" else {
            throw Failure(description: "not an http(s) URL: \(url)")
        }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body)
        }
        let outcome = ExchangeOutcome()
        let done = DispatchSemaphore(value: 0)
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request) { data, response, error in
            outcome.set(status: (response as? HTTPURLResponse)?.statusCode, body: data.map { Array($0) } ?? [],
                        error: error.map { (text: $0.localizedDescription, timedOut: ($0 as? URLError)?.code == .timedOut) })
            done.signal()
        }.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            throw Failure(description: "\(url) did not answer within \(DurationText.format(timeout))", timedOut: true)
        }
        let (status, answer, error) = outcome.get()
        if let error {
            throw error.timedOut ? Failure(description: "\(url) did not answer within \(DurationText.format(timeout))", timedOut: true)
                                 : Failure(description: "\(url): \(error.text)")
        }
        guard let status else { throw Failure(description: "\(url) answered nothing") }
        return Response(status: status, body: answer)
    }
}

/// The completion handler's result, handed across threads.
private final class ExchangeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int?
    private var body: [UInt8] = []
    private var error: (text: String, timedOut: Bool)?

    func set(status: Int?, body: [UInt8], error: (text: String, timedOut: Bool)?) {
        lock.withLock { (self.status, self.body, self.error) = (status, body, error) }
    }
    func get() -> (Int?, [UInt8], (text: String, timedOut: Bool)?) { lock.withLock { (status, body, error) } }
}
