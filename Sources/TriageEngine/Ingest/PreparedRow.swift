import Foundation

/// An occurrence's payload compressed with the store's dictionary, off the writer's thread.
struct PreparedRow: Sendable {
    /// Nil when the row was prepared before the decode queue had a dictionary: the writer stores the
    /// payload verbatim (as a training sample, or because training came after it was prepared).
    let compressed: (dictionary: PayloadDictionary, bytes: [UInt8])?
}

/// Prepares rows on the decode queue. The dictionary is set from the writer's thread, so it is
/// behind a lock; the compressor is only used on the decode queue.
final class RowPreparation: @unchecked Sendable {
    private let lock = NSLock()
    private var dictionary: PayloadDictionary?
    private var compressor: PayloadCompressor?

    func use(_ dictionary: PayloadDictionary?) {
        lock.withLock { self.dictionary = dictionary }
    }

    func prepare(_ occurrence: Occurrence) -> PreparedRow {
        let dictionary = lock.withLock { self.dictionary }
        if compressor?.dictionary !== dictionary { compressor = dictionary.flatMap(PayloadCompressor.init) }
        let compressed = compressor.map { compressor in
            (dictionary: compressor.dictionary, bytes: compressor.compress(occurrence.raw) { Array($0) })
        }
        return PreparedRow(compressed: compressed)
    }
}
