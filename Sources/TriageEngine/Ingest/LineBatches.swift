/// One `.jsonl` file's batches, read and decoded up to `depth` ahead of the one being applied.
///
/// One batch ahead was not enough: while the writer flushes and commits (a second or so per
/// transaction in a flood) the decode queue finished its one batch and sat idle, and afterwards
/// the writer waited for it — 0.9 s of a 5.7 s pass. With several ahead, decoding runs through the
/// writer's pauses.
///
/// The reads are queued in order on the decode queue, so an empty batch (the end of the file when
/// it was read) may be followed by lines a producer appended since. The file ends at an empty
/// batch requested once every earlier batch had been applied.
///
/// A file `FilePrefetch` asked for whole is not asked for more: what the decode queue reads next is
/// other files. Once its batches are applied, the rest (lines appended since it was listed; usually
/// none) is read here, on the writer's thread.
struct LineBatches {
    static let depth = 3

    private let source: LineSource
    private let decodeAhead: DecodeAhead
    private let askedWhole: Bool
    private var ahead: [(batch: DecodedBatch, requestedWithAllApplied: Bool)] = []

    /// `first`: batches already requested from `source` (a prefetched file's), in order;
    /// `askedWhole` when they were all of it.
    init(_ source: LineSource, decodeAhead: DecodeAhead, first: [DecodedBatch] = [], askedWhole: Bool = false) {
        self.source = source
        self.decodeAhead = decodeAhead
        self.askedWhole = askedWhole
        ahead = first.map { ($0, false) }
    }

    /// The next batch with lines, or nil at the end of the file. The caller must have applied
    /// every batch this returned before.
    mutating func next() throws -> DecodedBatch? {
        while true {
            if ahead.isEmpty {
                ahead.append((askedWhole ? decodeAhead.readAndDecodeHere(source) : decodeAhead.readAndDecode(source), true))
            }
            let (batch, requestedWithAllApplied) = ahead.removeFirst()
            if try batch.wait().isEmpty {
                if requestedWithAllApplied { return nil }
                continue
            }
            if !batch.reachedEnd, !askedWhole {
                while ahead.count < Self.depth { ahead.append((decodeAhead.readAndDecode(source), false)) }
            }
            return batch
        }
    }

    /// Whether the decode queue has read to the end of the file, so the next file may start there.
    var endIsRead: Bool { ahead.contains { $0.batch.reachedEndAlready } }
}
