import Dispatch

/// Decodes the next batch of JSON lines on another core while the writer applies the current one.
///
/// Decoding is pure (bytes in, payload or refusal out), so it can run ahead; everything with an
/// effect — grouping, storing, the ledger — still happens on the writer's thread, in file order.
/// Two batches at most are in memory: the one being applied and the one being decoded.
final class DecodeAhead: Sendable {
    /// A batch ends at this many lines or bytes, whichever comes first (a line is at most the
    /// payload limit, so a batch holds at most `maxBytes` plus one payload).
    static let maxLines = 256
    static let maxBytes = 4 << 20

    private let decoder: PayloadDecoder
    private let queue = DispatchQueue(label: "triage.decode-ahead")

    init(decoder: PayloadDecoder) { self.decoder = decoder }

    /// Starts decoding `lines`; the batch's `wait()` hands back each line with its outcome.
    func decode(_ lines: [SpoolLine]) -> DecodedBatch {
        let batch = DecodedBatch(lines: lines)
        let decoder = self.decoder
        queue.async {
            batch.fill(lines.map { line in Self.decode(line, with: decoder) })
        }
        return batch
    }

    /// Reads the next batch of lines from `reader` (empty at the end of the file).
    static func readBatch(_ reader: inout LineReader) throws -> [SpoolLine] {
        var lines: [SpoolLine] = []
        var bytes = 0
        while lines.count < maxLines, bytes < maxBytes, let line = try reader.next() {
            lines.append(line)
            bytes += line.length
        }
        return lines
    }

    private static func decode(_ line: SpoolLine, with decoder: PayloadDecoder) -> DecodedLine {
        guard let bytes = line.bytes else { return .refused(.tooLarge(size: line.length, limit: decoder.limits.maxPayloadBytes)) }
        if bytes.allSatisfy(isJSONWhitespace) { return .blank }
        do { return .payload(try decoder.decode(bytes)) } catch { return .refused(error) }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}

/// What decoding made of one line.
enum DecodedLine: Sendable {
    case payload(Payload)
    case refused(PayloadError)
    /// Only whitespace: skipped, as blank lines are.
    case blank
}

/// One batch being decoded; `wait()` blocks until it is done.
final class DecodedBatch: @unchecked Sendable {
    let lines: [SpoolLine]
    // Written once by the decoding thread before `done` is signalled, read only after the wait.
    private var outcomes: [DecodedLine] = []
    private let done = DispatchSemaphore(value: 0)

    fileprivate init(lines: [SpoolLine]) { self.lines = lines }

    fileprivate func fill(_ outcomes: [DecodedLine]) {
        self.outcomes = outcomes
        done.signal()
    }

    func wait() -> [(line: SpoolLine, outcome: DecodedLine)] {
        done.wait()
        done.signal()
        return Array(zip(lines, outcomes))
    }
}
