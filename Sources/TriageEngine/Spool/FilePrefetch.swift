import Dispatch

/// Opens, reads and decodes the pass's next `.json` files on the decode queue, a few ahead of the
/// writer. With one payload per file, opening and reading cost as much as storing it; ahead of
/// time they overlap with the writer's work. The writer takes them in listing order; what it never
/// takes (a pass that stops early) is dropped, closing the files.
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
        upcoming = names.filter { $0.format == .json }[...]
        spoolDescriptor = spool.descriptor
        self.decodeAhead = decodeAhead
        self.maxPayloadBytes = maxPayloadBytes
        refill()
    }

    /// The prefetched file, if `name` is the next one prefetched; nil otherwise (the caller opens it).
    func take(_ name: SpoolName) -> PrefetchedFile.Content? {
        guard inFlight.first?.name == name else { return nil }
        let taken = inFlight.removeFirst().file
        refill()
        return taken.wait()
    }

    private func refill() {
        while inFlight.count < Self.depth, let name = upcoming.popFirst() {
            inFlight.append((name, decodeAhead.prefetch(name, inDirectory: spoolDescriptor,
                                                        readingAtMost: min(maxPayloadBytes, Self.maxBytesReadAhead))))
        }
    }
}

/// A `.json` file opened and read on the decode queue; `wait()` blocks until it is.
final class PrefetchedFile: @unchecked Sendable {
    struct Content {
        let open: SpoolFile.OpenResult
        /// The payload decoded, or nil when the file is larger than prefetching reads or did not open.
        let decoded: DecodedPayload?
    }

    // Written once on the decode queue before `done` is signalled, read only after the wait.
    private var content: Content?
    private let done = DispatchSemaphore(value: 0)

    func fill(_ content: Content) {
        self.content = content
        done.signal()
    }

    func wait() -> Content {
        done.wait()
        done.signal()
        return content!
    }
}
