import Dispatch
import Foundation
import Synchronization

/// Reads and decodes the next batch of JSON lines on another core while the writer applies the
/// current one, and prepares each occurrence's row there too (ids as bytes, the payload compressed),
/// so the writer's thread is left with SQLite alone.
///
/// All of this is pure (bytes in, payload or refusal out), so it can run ahead; everything with an
/// effect — grouping, storing, the ledger — still happens on the writer's thread, in file order.
/// What is in memory is bounded by `FilePrefetch`: the batch being applied, `LineBatches.depth`
/// (3) read or being read ahead of it, one applied and waiting to be freed here (`recycle`), and the
/// next files, as far as `IngestMemory` allows (16 MiB of `.jsonl` files and about 8 MiB of `.json`
/// ones for `triage ingest`).
///
/// With a helper (`triage ingest`), every other `.json` file is opened, read and decoded on the
/// helper's thread: files are independent, and the writer still takes them in order, waiting for
/// each. With one payload per file the writer otherwise waits for the decode queue for much of a
/// pass. Batches of lines stay on the decode queue: shared
/// with the helper they left the writer's waits as long as before and slowed the writer itself,
/// three busy threads on two cores.
final class DecodeAhead: Sendable {
    /// A batch ends at this many lines or bytes, whichever comes first (a line is at most the
    /// payload limit, so a batch holds at most `maxBytes` plus one payload).
    static let maxLines = 256
    static let maxBytes = 1 << 20

    private let decoder: PayloadDecoder
    private let queue: SerialWorker
    private let rows: RowPreparation
    private let helper: (worker: SerialWorker, rows: RowPreparation)?
    /// `.json` files handed out so far: the odd ones are the helper's.
    private let filesHandedOut = Atomic<Int>(0)

    /// `dictionary`: what rows are compressed with, as the writer publishes it; `helper`: decode
    /// every other `.json` file on a second thread.
    init(decoder: PayloadDecoder, dictionary: CurrentDictionary = CurrentDictionary(), priority: IngestPriority = .normal,
         helper: Bool = false) {
        self.decoder = decoder
        queue = SerialWorker(label: "triage.decode-ahead", priority: priority)
        rows = RowPreparation(dictionary)
        self.helper = helper ? (SerialWorker(label: "triage.decode-helper", priority: priority), RowPreparation(dictionary)) : nil
    }

    /// Starts reading the next batch from `source` and decoding it; the batch's `wait()` hands back
    /// each line with its outcome, or no lines at the end of the file.
    func readAndDecode(_ source: LineSource) -> DecodedBatch {
        let batch = DecodedBatch()
        let decoder = self.decoder
        let rows = self.rows
        queue.async {
            Self.readAndDecodeBatch(&source.reader, with: decoder, rows: rows, into: batch)
        }
        return batch
    }

    /// Reads and decodes the next batch on the caller's thread, its rows left for the writer to
    /// prepare (the preparation's compressor is the decode queue's). Only once the decode queue is
    /// done with `source`.
    func readAndDecodeHere(_ source: LineSource) -> DecodedBatch {
        let batch = DecodedBatch()
        Self.readAndDecodeBatch(&source.reader, with: decoder, rows: nil, into: batch)
        return batch
    }

    /// Starts opening, reading and decoding one `.json` file (`FilePrefetch`).
    func prefetch(_ name: SpoolName, inDirectory spool: Int32, readingAtMost maxBytes: Int) -> PrefetchedFile {
        let prefetched = PrefetchedFile()
        let decoder = self.decoder
        let (worker, rows) = nextFileDecoder()
        worker.async {
            let open = SpoolFile.open(name, inDirectory: spool)
            guard case let .opened(file) = open else { return prefetched.fill(PrefetchedFile.Content(open: open)) }
            // A larger file, or a read error, is left for the writer, which reads it (and reports the error).
            guard let (read, bytes) = file.readWhole(atMost: maxBytes) else { return prefetched.fill(PrefetchedFile.Content(open: nil)) }
            prefetched.fill(PrefetchedFile.Content(open: .opened(read), decoded: Self.decode(bytes, with: decoder, rows: rows)))
        }
        return prefetched
    }

    /// Where the next `.json` file is decoded: every other one on the helper, if there is one.
    private func nextFileDecoder() -> (worker: SerialWorker, rows: RowPreparation) {
        guard let helper, filesHandedOut.add(1, ordering: .relaxed).newValue.isMultiple(of: 2) else { return (queue, rows) }
        return helper
    }

    /// Starts opening one `.jsonl` file and decoding its first `LineBatches.depth` batches of lines
    /// (`FilePrefetch`). All of them, not one: with one, the writer applied it and then waited for the
    /// second, which the decode queue began only when the writer started the file (at 256 lines
    /// into each file, most of the writer's waits). The file is handed over once open; each batch
    /// is decoded in a block of its own, so the writer can apply the first while the others decode.
    ///
    /// `wholeSize`: the file's size, to decode all of it, in batches of `maxBytes` whatever their
    /// number of lines: the writer reaches such a file later, so nothing is gained by handing it
    /// lines sooner. Lines appended after that size are read by the writer (`LineBatches`).
    func prefetchLines(_ name: SpoolName, inDirectory spool: Int32, maxLineBytes: Int, wholeSize: Int64? = nil) -> PrefetchedFile {
        let prefetched = PrefetchedFile()
        let decoder = self.decoder
        let rows = self.rows
        let queue = self.queue
        // Each batch of a whole file but the last holds at least `maxBytes`.
        let count = wholeSize.map { Int($0 / Int64(Self.maxBytes)) + 1 } ?? LineBatches.depth
        let linesPerBatch = wholeSize == nil ? Self.maxLines : .max
        queue.async {
            let open = SpoolFile.open(name, inDirectory: spool)
            guard case let .opened(file) = open else { return prefetched.fill(PrefetchedFile.Content(open: open)) }
            let source = LineSource(LineReader(file: file, from: 0, line: 0, maxLineBytes: maxLineBytes))
            let batches = (0..<count).map { _ in DecodedBatch() }
            // Queued before the writer can see the file, so they come before any batch it asks for.
            for batch in batches {
                queue.async { Self.readAndDecodeBatch(&source.reader, with: decoder, rows: rows, maxLines: linesPerBatch, into: batch) }
            }
            prefetched.fill(PrefetchedFile.Content(open: open, firstLines: (source, batches, askedWhole: wholeSize != nil)))
        }
        return prefetched
    }

    /// Frees an applied batch's lines on the decode queue, which has time to spare: releasing the
    /// strings of each decoded occurrence was ~4% of the writer's samples (perf). The caller must hold
    /// no copy of the lines.
    func recycle(_ batch: DecodedBatch) {
        queue.async { batch.empty() }
    }

    /// Decodes one whole-file payload (`.json` files) and prepares it as lines are.
    func decodeNow(_ bytes: [UInt8]) -> DecodedPayload {
        queue.sync { Self.decode(bytes, with: decoder, rows: rows) }
    }

    private static func readAndDecodeBatch(_ reader: inout LineReader, with decoder: PayloadDecoder, rows: RowPreparation?,
                                           maxLines: Int = maxLines, into batch: DecodedBatch) {
        var lines: DecodedLines = []
        var bytes = 0
        do {
            while lines.count < maxLines, bytes < maxBytes {
                guard let line = try reader.next() else { return batch.fill(.success(lines), endReached: true) }
                lines.append((line, decode(line, with: decoder, rows: rows)))
                bytes += line.length
            }
            batch.fill(.success(lines), endReached: false)
        } catch {
            batch.fill(.failure(error), endReached: true)
        }
    }

    private static func decode(_ line: SpoolLine, with decoder: PayloadDecoder, rows: RowPreparation?) -> DecodedLine {
        guard let bytes = line.bytes else { return .decoded(.failure(.tooLarge(size: line.length, limit: decoder.limits.maxPayloadBytes))) }
        if bytes.allSatisfy(isJSONWhitespace) { return .blank }
        return .decoded(decode(bytes, with: decoder, rows: rows))
    }

    private static func decode(_ bytes: [UInt8], with decoder: PayloadDecoder, rows: RowPreparation?) -> DecodedPayload {
        do {
            let payload = try decoder.decode(bytes)
            guard case let .occurrence(occurrence) = payload, let rows else { return .success((payload, nil)) }
            return .success((payload, rows.prepare(occurrence)))
        } catch {
            return .failure(error)
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}

/// A file's line reader, handed to the decode queue; only that queue touches it.
final class LineSource: @unchecked Sendable {
    var reader: LineReader
    init(_ reader: LineReader) { self.reader = reader }
}

/// A payload decoded, with its row prepared if it is an occurrence, or why it was refused.
typealias DecodedPayload = Result<(Payload, PreparedRow?), PayloadError>

/// What decoding made of one line.
enum DecodedLine: Sendable {
    case decoded(DecodedPayload)
    /// Only whitespace: skipped, as blank lines are.
    case blank
}

/// Lines in file order, each with what decoding made of it.
typealias DecodedLines = [(line: SpoolLine, outcome: DecodedLine)]

/// One batch being read and decoded; `wait()` blocks until it is done.
final class DecodedBatch: @unchecked Sendable {
    // Written once by the decoding thread before `done` is signalled, read only after the wait.
    private var result: Result<DecodedLines, any Error> = .success([])
    /// After `wait()`: whether reading this batch reached the end of the file (as it was then).
    private(set) var reachedEnd = false
    private let done = DispatchSemaphore(value: 0)

    fileprivate func fill(_ result: Result<DecodedLines, any Error>, endReached: Bool) {
        self.result = result
        reachedEnd = endReached
        done.signal()
    }

    fileprivate func empty() { result = .success([]) }

    /// Whether decoding has finished and reached the end of the file, without waiting for it.
    var reachedEndAlready: Bool {
        guard done.wait(timeout: .now()) == .success else { return false }
        done.signal()
        return reachedEnd
    }

    /// The batch's lines with their outcomes; empty at the end of the file; throws a read error.
    func wait() throws -> DecodedLines {
        done.wait()
        done.signal()
        return try result.get()
    }
}
