import Dispatch

/// Opens, reads and decodes the pass's next files ahead of the writer: up to 32 `.json` files, and
/// the first `LineBatches.depth` batches of lines of the next `.jsonl` one. With one payload per
/// file, opening and reading cost as much as storing it; and the writer waited ~3 ms for the first
/// lines of each `.jsonl` file (0.65 s of 5.2 s for 200 files of 1,000 lines). Ahead of time, both
/// overlap with the writer's work. A `.jsonl` file is started once the decode queue has read the
/// writer's current file to its end (`startNextLineFile`, called when the writer sees that):
/// sooner, its first batch would take the core the current file's batches are decoded on. The
/// writer takes files in listing order; what it never takes (a pass that stops early) is dropped,
/// closing the files.
final class FilePrefetch {
    static let depth = 32
    /// Larger files are opened ahead but read by the writer, so prefetching holds at most 2 MiB.
    static let maxBytesReadAhead = 64 << 10

    private let decodeAhead: DecodeAhead
    private let spoolDescriptor: Int32
    private let maxPayloadBytes: Int
    private var upcoming: ArraySlice<SpoolName>
    private var inFlight: [(name: SpoolName, file: PrefetchedFile)] = []

    init(_ names: [SpoolName], spool: SpoolDirectory, decodeAhead: DecodeAhead, maxPayloadBytes: Int) {
        upcoming = names.filter { $0.format != nil }[...]
        spoolDescriptor = spool.descriptor
        self.decodeAhead = decodeAhead
        self.maxPayloadBytes = maxPayloadBytes
        refill()
        startNextLineFile()
    }

    /// The prefetched file, if `name` is the next one prefetched; nil otherwise (the caller opens it).
    func take(_ name: SpoolName) -> PrefetchedFile.Content? {
        guard inFlight.first?.name == name else {
            // A line file not started yet: the writer opens it, and the files after it may go ahead.
            if upcoming.first == name, inFlight.isEmpty {
                upcoming.removeFirst()
                refill()
            }
            return nil
        }
        let taken = inFlight.removeFirst()
        refill()
        // After `.json` files, a `.jsonl` one has no file's end to wait for.
        if taken.name.format == .json { startNextLineFile() }
        return taken.file.take()
    }

    /// Starts the next file if it is a `.jsonl` one and nothing before it is still waiting.
    func startNextLineFile() {
        guard inFlight.isEmpty, let name = upcoming.first, name.format == .jsonLines else { return }
        upcoming.removeFirst()
        inFlight.append((name, decodeAhead.prefetchLines(name, inDirectory: spoolDescriptor, maxLineBytes: maxPayloadBytes)))
    }

    /// Starts `.json` files up to the depth, stopping at a `.jsonl` one (`startNextLineFile` starts it).
    private func refill() {
        while inFlight.count < Self.depth, let name = upcoming.first, name.format == .json {
            upcoming.removeFirst()
            inFlight.append((name, decodeAhead.prefetch(name, inDirectory: spoolDescriptor,
                                                        readingAtMost: min(maxPayloadBytes, Self.maxBytesReadAhead))))
        }
    }
}

/// A file opened and read ahead; `take()` blocks until it is.
final class PrefetchedFile: @unchecked Sendable {
    struct Content {
        let open: SpoolFile.OpenResult
        /// A `.json` file's payload decoded, or nil when the file is larger than prefetching reads or did not open.
        var decoded: DecodedPayload? = nil
        /// A `.jsonl` file's first batches, read (or being read) from its start, in order, and the
        /// source they are read from.
        var firstLines: (source: LineSource, batches: [DecodedBatch])? = nil
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
