/// A file finished within one transaction: all a record of unfinished moves needs to know of it.
package struct FinishedFile: Equatable {
    package let name: SpoolName
    package let identity: FileIdentity
    package let outcome: FileOutcome

    package init(name: SpoolName, identity: FileIdentity, outcome: FileOutcome) {
        self.name = name
        self.identity = identity
        self.outcome = outcome
    }
}

/// One row per commit naming the files it finished that have no ledger row, until they have left
/// the spool (`ingest_moves`).
///
/// Such a file (begun and finished within one transaction, nothing refused) used to get a ledger
/// row of its own, written at its commit and deleted once it had moved: with one payload per file
/// that insert and delete were a fifth of the writer's work. A commit records them all in one
/// row instead, and deletes it once the mover has drained. A run killed between the commit and the
/// moves leaves the row, and the next run's first pass makes the moves (`finishMoves`) before it
/// lists the spool, so none of those files is ingested twice.
package enum PendingMoves {
    /// Moves the files a killed run committed but had not moved, where they are still in the spool as
    /// they were, then forgets the records. A file of that name that differs is another file, and
    /// is left to be ingested. Safe to repeat: a file already moved is not there any more.
    ///
    /// A file that will not move gets a ledger row saying it is done, in the transaction that
    /// forgets its record: the pass then finds it done and retries the move after its commit, as
    /// for any file, and the rest of the spool is ingested meanwhile. `beforeMove` runs before each
    /// move; a test makes it throw to stand for a move that fails.
    static func finishMoves(in spool: SpoolDirectory, store: any IngestStore,
                            beforeMove: (FinishedFile) throws -> Void = { _ in }) throws -> (moved: Int, unmoved: Int) {
        let records = try store.unfinishedMoves(of: spool.identity)
        guard !records.isEmpty else { return (0, 0) }
        var moved = 0
        var unmoved: [FinishedFile] = []
        for file in records.flatMap(\.files) where spool.identity(of: file.name) == file.identity {
            do {
                try beforeMove(file)
                try spool.move(file.name, to: file.outcome == .processed ? spool.processed : spool.failed, identity: SpoolIdentity(file.identity))
                moved += 1
            } catch {
                unmoved.append(file)
            }
        }
        try store.settleMoves(unmoved: unmoved, forgetting: records.map(\.id))
        return (moved, unmoved.count)
    }

    // Each file: outcome (2 processed, 3 failed), the name's length (2 bytes) and bytes, then device,
    // inode, size, mtime and ctime (8 bytes each); integers little-endian. Records written before
    // change times were kept have outcome 0 or 1 and no ctime: their files are taken as new work.

    package static func encode(_ files: [FinishedFile]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(files.reduce(0) { $0 + 43 + $1.name.bytes.count })
        for file in files {
            bytes.append(file.outcome == .processed ? 2 : 3)
            append(UInt64(file.name.bytes.count), width: 2, to: &bytes)
            bytes += file.name.bytes
            append(UInt64(bitPattern: file.identity.device), width: 8, to: &bytes)
            append(UInt64(bitPattern: file.identity.inode), width: 8, to: &bytes)
            append(UInt64(bitPattern: file.identity.size), width: 8, to: &bytes)
            append(UInt64(bitPattern: file.identity.mtimeNanoseconds), width: 8, to: &bytes)
            append(UInt64(bitPattern: file.identity.ctimeNanoseconds), width: 8, to: &bytes)
        }
        return bytes
    }

    /// nil unless `bytes` is exactly a list of files as `encode` writes them (or wrote them before).
    package static func decode(_ bytes: [UInt8]) -> [FinishedFile]? {
        var files: [FinishedFile] = []
        var at = 0
        func take(_ width: Int) -> UInt64? {
            guard bytes.count - at >= width else { return nil }
            defer { at += width }
            return (0..<width).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        while at < bytes.count {
            guard let outcomeByte = take(1), outcomeByte <= 3, let length = take(2), bytes.count - at >= Int(length) else { return nil }
            let name = SpoolName(Array(bytes[at..<at + Int(length)]))
            at += Int(length)
            guard let device = take(8), let inode = take(8), let size = take(8), let mtime = take(8) else { return nil }
            var ctime = Int64.min
            if outcomeByte >= 2 {
                guard let stored = take(8) else { return nil }
                ctime = Int64(bitPattern: stored)
            }
            let identity = FileIdentity(device: Int64(bitPattern: device), inode: Int64(bitPattern: inode), size: Int64(bitPattern: size),
                                        mtimeNanoseconds: Int64(bitPattern: mtime), ctimeNanoseconds: ctime)
            files.append(FinishedFile(name: name, identity: identity, outcome: outcomeByte % 2 == 0 ? .processed : .failed))
        }
        return files
    }

    private static func append(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
        for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }
}
