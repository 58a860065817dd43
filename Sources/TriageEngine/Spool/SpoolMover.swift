import Dispatch
import Foundation

/// Moves ingested files out of the spool on a thread of its own. A rename costs ~30 µs on a large
/// directory, as much as storing the file's occurrence, and the move comes after the commit anyway:
/// the writer hands the names over and goes on with the next batch. A pass ends with `drain()`, so
/// when `ingestAvailable` returns every file it accounted for has left the spool.
final class SpoolMover: @unchecked Sendable {
    private let queue: SerialWorker
    private let spoolDescriptor: Int32
    // Written on the queue, read after `queue.sync` in `drain`.
    private var failure: (any Error)?

    init(spool: SpoolDirectory, priority: IngestPriority = .normal) {
        spoolDescriptor = spool.descriptor
        queue = SerialWorker(label: "triage.spool-mover", priority: priority)
    }

    /// Queues the moves; after one fails the rest wait for the next pass, which finds their files
    /// done in the ledger and moves them then.
    func move(_ moves: [SpoolMove]) {
        guard !moves.isEmpty else { return }
        let spoolDescriptor = self.spoolDescriptor
        queue.async { [self] in
            guard failure == nil else { return }
            do {
                for move in moves { try SpoolDirectory.move(move, from: spoolDescriptor) }
            } catch {
                failure = error
            }
        }
    }

    /// Waits for every move handed over so far; throws the first that failed.
    func drain() throws {
        let failed: (any Error)? = queue.sync {
            defer { failure = nil }
            return failure
        }
        if let failed { throw failed }
    }
}
