import Dispatch
import Foundation

/// SIGINT/SIGTERM as a flag the ingest loop polls between payloads, so a stop always lands on a
/// commit boundary. A second signal exits at once (which is also safe: ingest is crash-safe).
final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [any DispatchSourceSignal] = []
    private var onStop: [@Sendable () -> Void] = []

    init(signals: [Int32] = [SIGINT, SIGTERM]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            // @Sendable: the handler runs on a global queue, not on the main actor.
            source.setEventHandler { @Sendable [weak self] in self?.trigger(signal: number) }
            source.resume()
            sources.append(source)
        }
    }

    var isRequested: Bool { lock.withLock { requested } }

    func whenRequested(_ action: @escaping @Sendable () -> Void) {
        lock.withLock { onStop.append(action) }
    }

    private func trigger(signal number: Int32) {
        let (alreadyRequested, actions) = lock.withLock {
            defer { requested = true }
            return (requested, onStop)
        }
        if alreadyRequested { exit(128 + number) }
        actions.forEach { $0() }
    }
}
