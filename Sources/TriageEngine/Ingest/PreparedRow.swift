/// An occurrence's payload compressed with the store's dictionary, off the writer's thread.
struct PreparedRow: Sendable {
    /// Nil when the row was prepared before the decode queue had a dictionary: the writer stores the
    /// payload verbatim (as a training sample, or because training came after it was prepared).
    let compressed: (dictionary: PayloadDictionary, bytes: [UInt8])?
}

/// Prepares rows on one decode thread, with the dictionary the writer published last; the
/// compressor is only used on that thread.
final class RowPreparation: @unchecked Sendable {
    private let dictionary: CurrentDictionary
    private var compressor: PayloadCompressor?

    init(_ dictionary: CurrentDictionary) { self.dictionary = dictionary }

    func prepare(_ occurrence: Occurrence) -> PreparedRow {
        let dictionary = self.dictionary.value
        if compressor?.dictionary !== dictionary { compressor = dictionary.flatMap(PayloadCompressor.init) }
        let compressed = compressor.map { compressor in
            (dictionary: compressor.dictionary, bytes: compressor.compress(occurrence.raw) { Array($0) })
        }
        return PreparedRow(compressed: compressed)
    }
}
