import Foundation

/// The dictionary stored payloads are compressed with, as the writer last published it. The writer
/// (`PayloadPacker`) publishes; the decode queue (`RowPreparation`) and the read-ahead
/// (`FilePrefetch`) only read: data flows one way, and neither side calls the other.
final class CurrentDictionary: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var dictionary: PayloadDictionary?
    private var awaiting = false

    init() {}

    /// `awaiting`: the writer is still keeping samples to train one, so rows prepared now would be
    /// stored verbatim (the read-ahead then stays short).
    func publish(_ dictionary: PayloadDictionary?, awaiting: Bool) {
        lock.withLock {
            self.dictionary = dictionary
            self.awaiting = awaiting
        }
    }

    var value: PayloadDictionary? { lock.withLock { dictionary } }
    var isAwaited: Bool { lock.withLock { awaiting } }
}
