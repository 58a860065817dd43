import Dispatch
import DequeModule

/// Opens, reads and decodes the pass's next files ahead of the writer: up to 1,024 `.json` files
/// (8 MiB of them at the size of those taken so far; 32 to begin with), and `.jsonl` files up to
/// 16 MiB in all (`IngestMemory.throughput`; the TUI's budget reads far less ahead). Opening,
/// reading and decoding a file costs the decode queue more than storing its payload costs the
/// writer, and a batch of lines too, so a pass is as fast as the decode queue is kept busy. While
/// the writer flushes and commits only what was read ahead can be decoded, so with one file ahead
/// the writer spent a large share of each pass waiting for batches.
///
/// The decode queue is serial and takes work in order, so a file's batches may queue behind
/// another's only once all of that one's are queued. A `.jsonl` file up to 4 MiB is therefore
/// asked for whole (`DecodeAhead.prefetchLines(wholeSize:)`), and the files after it may follow;
/// a larger one, or one the writer reads itself, is read a few batches ahead, and the next
/// `.jsonl` file starts once the decode queue has read it to its end (`startNextLineFile`, called
/// when the writer sees that). Far ahead only once the writer has its dictionary (`readFarAhead`): rows prepared
/// before it are stored verbatim. The writer takes files in listing order; what it never takes (a
/// pass that stops early) is dropped, closing the files.
final class FilePrefetch {
    /// Files read ahead at first, before the size of the spool's files is known.
    static let depth = 32
    static let maxJSONFilesAhead = 1_024
    /// Larger `.json` files are read by the writer.
    static let maxBytesReadAhead = 64 << 10
    /// Larger `.jsonl` files are read a few batches ahead of the writer.
    static let largestWholeLineFile: Int64 = 4 << 20

    private let decodeAhead: DecodeAhead
    private let spool: SpoolDirectory
    private let maxPayloadBytes: Int
    private let readFarAhead: () -> Bool
    private let memory: IngestMemory
    private var upcoming: ArraySlice<SpoolName>
    /// `wholeLineBytes`: the size of a `.jsonl` file asked for whole; nil for a `.json` file or one
    /// read a few batches ahead. A deque: up to 1,024 files are in flight, and as an array each
    /// file taken from its front moved the rest (3% of the writer with one payload per file).
    private var inFlight: Deque<(name: SpoolName, file: PrefetchedFile, wholeLineBytes: Int64?)> = []
    /// Whether every batch of the `.jsonl` file the writer is applying has been asked for.
    private var writersFileAskedWhole = true
    private var jsonTaken = (files: 0, bytes: Int64(0))

    init(_ names: [SpoolName], spool: SpoolDirectory, decodeAhead: DecodeAhead, maxPayloadBytes: Int, memory: IngestMemory,
         readFarAhead: @escaping () -> Bool) {
        self.memory = memory
        upcoming = names.filter { $0.format != nil }[...]
        self.spool = spool
        self.decodeAhead = decodeAhead
        self.maxPayloadBytes = maxPayloadBytes
        self.readFarAhead = readFarAhead
        refill()
    }

    /// The prefetched file, if `name` is the next one prefetched; nil otherwise (the caller opens it).
    func take(_ name: SpoolName) -> PrefetchedFile.Content? {
        guard inFlight.first?.name == name else {
            // A line file not started yet: the writer opens and reads it, and the `.json` files
            // after it may go ahead.
            if upcoming.first == name, inFlight.isEmpty {
                upcoming.removeFirst()
                writersFileAskedWhole = name.format != .jsonLines
                refill()
            }
            return nil
        }
        let taken = inFlight.removeFirst()
        writersFileAskedWhole = taken.name.format != .jsonLines || taken.wholeLineBytes != nil
        let content = taken.file.take()
        if taken.name.format == .json, case let .opened(file)? = content.open {
            jsonTaken = (jsonTaken.files + 1, jsonTaken.bytes + file.identity.size)
        }
        refill()
        return content
    }

    /// Files in flight at most: `depth` until that many `.json` files were taken, then as many as
    /// `memory.jsonBytesAhead` holds at their mean size.
    private var filesAhead: Int {
        guard jsonTaken.files >= Self.depth else { return Self.depth }
        let mean = max(1, jsonTaken.bytes / Int64(jsonTaken.files))
        return Int(min(Int64(Self.maxJSONFilesAhead), max(Int64(Self.depth), memory.jsonBytesAhead / mean)))
    }

    /// `.jsonl` bytes asked for whole and not yet taken by the writer.
    var lineBytesInFlight: Int64 { inFlight.reduce(0) { $0 + ($1.wholeLineBytes ?? 0) } }

    /// The decode queue has read the writer's `.jsonl` file to its end: the next may start.
    func startNextLineFile() {
        writersFileAskedWhole = true
        refill()
    }

    /// Starts `.json` files up to `filesAhead`; `.jsonl` files whole while they fit `memory.lineBytesAhead`
    /// and everything before them was asked for whole, or else the next one a few batches ahead.
    private func refill() {
        while inFlight.count < filesAhead, let name = upcoming.first {
            if name.format == .json {
                upcoming.removeFirst()
                inFlight.append((name, decodeAhead.prefetch(name, inDirectory: spool.descriptor,
                                                            readingAtMost: min(maxPayloadBytes, Self.maxBytesReadAhead)), nil))
                continue
            }
            guard writersFileAskedWhole, inFlight.allSatisfy({ $0.name.format == .json || $0.wholeLineBytes != nil }) else { return }
            if readFarAhead(), let size = spool.identity(of: name)?.size, size <= Self.largestWholeLineFile,
               lineBytesInFlight + size <= memory.lineBytesAhead {
                upcoming.removeFirst()
                inFlight.append((name, decodeAhead.prefetchLines(name, inDirectory: spool.descriptor, maxLineBytes: maxPayloadBytes,
                                                                 wholeSize: size), size))
            } else if inFlight.allSatisfy({ $0.name.format == .json }) {
                upcoming.removeFirst()
                inFlight.append((name, decodeAhead.prefetchLines(name, inDirectory: spool.descriptor, maxLineBytes: maxPayloadBytes), nil))
                return
            } else {
                return
            }
        }
    }
}

/// A file opened and read ahead; `take()` blocks until it is.
final class PrefetchedFile: @unchecked Sendable {
    struct Content {
        /// Nil when the file is for the writer to open (a `.json` file too large to read ahead).
        let open: SpoolFile.OpenResult?
        /// A `.json` file's payload decoded (the file read whole and closed), or nil when it did not open.
        var decoded: DecodedPayload? = nil
        /// A `.jsonl` file's first batches, read (or being read) from its start, in order, and the
        /// source they are read from; `askedWhole` when they are all of the file as it was listed.
        var firstLines: (source: LineSource, batches: [DecodedBatch], askedWhole: Bool)? = nil
    }

    // Written once on the decode queue before `done` is signalled, read only after the wait.
    private var content: Content?
    private let done = DispatchSemaphore(value: 0)

    func fill(_ content: Content) {
        self.content = content
        done.signal()
    }

    /// Waits for the content and hands it over (once): moved out, not copied, so its payload's
    /// strings are neither retained here nor released when this object goes.
    func take() -> Content {
        done.wait()
        return content.take()!
    }
}
