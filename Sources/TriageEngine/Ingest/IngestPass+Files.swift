import Foundation

/// A pass's files: each opened (or taken from the read-ahead), its payloads applied in order, its
/// refusals recorded, and its move queued for after the commit that accounts for it.
extension IngestPass {
    func ingestFile(_ name: SpoolName, shouldStop: () -> Bool) throws {
        filesLeft -= 1
        let prefetched = prefetch.take(name)
        let file: SpoolFile
        switch prefetched?.open ?? SpoolFile.open(name, in: spool) {
        case .vanished: return
        case let .unusable(reason): return try quarantineUnusable(name, reason: reason)
        case let .opened(opened): file = opened
        }
        try begin()
        var entry: LedgerEntry
        if let existing = try session.ledgerEntry(name, file.identity) {
            if let outcome = existing.outcome {
                // Done by an earlier run that stopped before moving it; its sidecar is written already.
                let attempt = outcome == .failed
                    ? pipeline.failedOutputs.attempt(for: name, modified: file.identity.mtimeNanoseconds, whole: true) : 0
                moveAfterCommit(FinishedFile(name: name, identity: file.identity, outcome: outcome), ledgerRow: existing.id,
                                failedAttempt: attempt, readTo: max(existing.byteOffset, file.identity.size))
                return
            }
            entry = existing
        } else {
            entry = IngestLedger.unclaimed(name, file.identity)
        }
        report.files += 1
        switch name.format {
        case .json: try ingestSinglePayload(file, &entry, decoded: prefetched?.decoded)
        case .jsonLines: try ingestLines(file, &entry, prefetched: prefetched?.firstLines, shouldStop: shouldStop)
        case nil: return
        }
        if transactionIsFull { try commit() }
    }

    /// `decoded`: the payload as `FilePrefetch` decoded it, if it did.
    private func ingestSinglePayload(_ file: SpoolFile, _ entry: inout LedgerEntry,
                                     decoded: DecodedPayload?) throws {
        let size = Int(file.identity.size)
        let refusal: Refusal?
        if size > limits.maxPayloadBytes {
            // Refused by size alone: a 2 GB file is never read into memory.
            refusal = Refusal(PayloadError.tooLarge(size: size, limit: limits.maxPayloadBytes))
        } else {
            refusal = try apply(decoded ?? pipeline.decodeAhead.decodeNow(try file.read(at: 0, count: size)), from: file, line: nil,
                                into: &entry.counts)
        }
        if let refusal {
            try refuse(file, &entry, line: nil, offset: 0, length: size, refusal)
        }
        entry.byteOffset = Int64(size)
        try finish(file, &entry)
    }

    /// Lines are read and decoded batches ahead on the other core (`LineBatches`) and applied here in
    /// order; the ledger only ever records lines that were applied. `prefetched`: the file's first
    /// batches, read from its start (`FilePrefetch`), used unless an earlier run applied some lines.
    private func ingestLines(_ file: SpoolFile, _ entry: inout LedgerEntry,
                             prefetched: (source: LineSource, batches: [DecodedBatch], askedWhole: Bool)?,
                             shouldStop: () -> Bool) throws {
        var batches = if let prefetched, entry.byteOffset == 0 {
            LineBatches(prefetched.source, decodeAhead: pipeline.decodeAhead, first: prefetched.batches, askedWhole: prefetched.askedWhole)
        } else {
            readLines(file, from: entry)
        }
        while true {
            while let current = try batches.next() {
                // The next file's first lines are decoded while this file's last ones are applied.
                if current.reachedEnd || batches.endIsRead { prefetch.startNextLineFile() }
                if try apply(current, from: file, &entry, shouldStop: shouldStop) == .stopped { return }
                // The lines are out of scope here: `recycle` frees them on the decode queue only if the
                // batch holds the last reference.
                pipeline.decodeAhead.recycle(current)
            }
            hooks.afterReadingLines?(file.name)
            // A producer writing in place (outside the rename protocol) may have appended since the
            // reader reached the end: those lines are read before the file is finished and moved.
            guard let size = file.currentSize(), size > entry.byteOffset else { break }
            batches = readLines(file, from: entry)
        }
        try finish(file, &entry)
    }

    private enum BatchEnd { case applied, stopped }

    /// Applies a batch of lines in order, committing where the transaction is full; `.stopped` when
    /// `shouldStop` asked for it (committed, the pass then ends).
    private func apply(_ batch: DecodedBatch, from file: SpoolFile, _ entry: inout LedgerEntry, shouldStop: () -> Bool) throws -> BatchEnd {
        let lines = try batch.wait()
        if writer.claimsInBulk { try writer.preclaim(Self.occurrenceIDs(in: lines[...])) }
        if writer.findsInBulk { try writer.prefind(Self.groupKeys(in: lines)) }
        // Groups are created ahead a stretch of lines at a time: a commit in mid-batch withdraws
        // those not reached yet, and the stretch bounds that waste.
        var precreatedUpTo = 0
        for (index, (line, outcome)) in lines.enumerated() {
            if writer.createsInBulk, index >= precreatedUpTo {
                precreatedUpTo = min(index + Self.precreatedLines, lines.count)
                try writer.precreate(Self.occurrences(in: lines[index..<precreatedUpTo]))
            }
            let refusal: Refusal?
            switch outcome {
            case .blank: refusal = nil
            case let .decoded(decoded): refusal = try apply(decoded, from: file, line: line.number, into: &entry.counts)
            }
            if let refusal { try refuse(file, &entry, line: line.number, offset: line.offset, length: line.length, refusal) }
            entry.byteOffset = line.end
            entry.line = line.number
            if transactionIsFull || shouldStop() {
                try session.saveLedgerEntry(&entry, at: now, finished: false)
                try commit()
                if shouldStop() {
                    report.interrupted = true
                    return .stopped
                }
                try begin()
                // The commit gave back the batch's claims not used yet and withdrew the groups made
                // ahead: the rest of it is claimed anew, and its groups made from the next line on.
                if writer.claimsInBulk { try writer.preclaim(Self.occurrenceIDs(in: lines[(index + 1)...])) }
                precreatedUpTo = index + 1
            }
        }
        return .applied
    }

    /// The ids of a batch's decoded occurrences, for `IngestWriter.preclaim`.
    private static func occurrenceIDs(in lines: DecodedLines.SubSequence) -> [UUIDBytes] {
        lines.compactMap { line in
            guard case let .decoded(.success((.occurrence(occurrence), _))) = line.outcome else { return nil }
            return occurrence.idBytes
        }
    }

    /// How many lines' new groups `IngestWriter.precreate` makes at once.
    static let precreatedLines = 100

    /// A batch's decoded occurrences in order, for `IngestWriter.precreate`.
    private static func occurrences(in lines: DecodedLines.SubSequence) -> [Occurrence] {
        lines.compactMap { line in
            guard case let .decoded(.success((.occurrence(occurrence), _))) = line.outcome else { return nil }
            return occurrence
        }
    }

    /// The grouping keys of a batch's decoded occurrences, for `IngestWriter.prefind`.
    private static func groupKeys(in lines: DecodedLines) -> [GroupKey] {
        lines.compactMap { line in
            guard case let .decoded(.success((.occurrence(occurrence), _))) = line.outcome else { return nil }
            return occurrence.groupKey
        }
    }

    private func readLines(_ file: SpoolFile, from entry: LedgerEntry) -> LineBatches {
        LineBatches(LineSource(LineReader(file: file, from: entry.byteOffset, line: entry.line, maxLineBytes: limits.maxPayloadBytes)),
                    decodeAhead: pipeline.decodeAhead)
    }

    /// Applies one decoded payload (a refusal counts as a row too); returns the refusal, if any.
    /// A payload that made a stage fail before is refused with that failure, unapplied; one that
    /// makes a stage fail now ends the pass as `PoisonedPayload`, to be refused when it runs again.
    private func apply(_ decoded: DecodedPayload, from file: SpoolFile, line: Int?, into counts: inout FileCounts) throws -> Refusal? {
        let key = PoisonedPayload.Key(name: file.name, identity: file.identity, line: line)
        if let reason = poisoned[key] {
            rowsInTransaction += 1
            return Refusal(field: nil, reason: "could not be stored: \(reason)")
        }
        do {
            switch decoded {
            case let .success((payload, prepared)): return try apply(payload, prepared, into: &counts).map(Refusal.init)
            case let .failure(error):
                rowsInTransaction += 1
                return Refusal(error)
            }
        } catch where PoisonedPayload.isCausedByThePayload(error, store: pipeline.store) {
            throw PoisonedPayload(key: key, reason: String(describing: error))
        }
    }

    /// Applies one payload that decoded; returns the refusal, if any.
    private func apply(_ payload: Payload, _ prepared: PreparedRow?, into counts: inout FileCounts) throws -> PayloadError? {
        rowsInTransaction += 1
        switch payload {
        case let .occurrence(occurrence):
            let outcome = try writer.ingest(occurrence, prepared: prepared)
            try hooks.afterWrite?(occurrence)
            switch outcome {
            case let .grouped(created, released):
                counts.accepted += 1
                report.accepted += 1
                report.noiseReleased += released
                if created { report.groupsCreated += 1 }
            case .held:
                counts.accepted += 1
                counts.noiseHeld += 1
                report.accepted += 1
                report.noiseHeld += 1
            case .duplicate:
                counts.duplicates += 1
                report.duplicates += 1
            case let .rejected(error):
                return error
            }
        case let .statusChange(change):
            switch try writer.apply(change) {
            case .changed:
                counts.statusChanges += 1
                report.statusChanges += 1
            case .unchanged: break
            case .duplicate:
                counts.duplicates += 1
                report.duplicates += 1
            case let .rejected(error): return error
            }
        }
        return nil
    }

    private func refuse(_ file: SpoolFile, _ entry: inout LedgerEntry, line: Int?, offset: Int64, length: Int,
                        _ refusal: Refusal) throws {
        entry.counts.rejected += 1
        report.rejected += 1
        let fileID = try session.claimLedgerEntry(&entry, at: now)
        try session.recordRejection(fileID: fileID, line: line, offset: offset, length: length, field: refusal.field, reason: refusal.reason)
        let note = RejectionNote(file: file.name.description, line: line, field: refusal.field, reason: refusal.reason)
        if report.notes.count < IngestReport.noteLimit { report.notes.append(note) }
        pipeline.logger.info("\(note.description)")
    }

    /// Writes `failed/` outputs (before the commit, so a crash rewrites them identically), marks the
    /// file done in the ledger, and queues its move for after the commit.
    private func finish(_ file: SpoolFile, _ entry: inout LedgerEntry) throws {
        let rejections = entry.counts.rejected > 0 ? try session.rejections(fileID: entry.id!) : []
        let anythingGood = entry.counts.accepted + entry.counts.duplicates + entry.counts.statusChanges > 0
        let outcome: FileOutcome = rejections.isEmpty || anythingGood ? .processed : .failed
        entry.outcome = outcome
        var failedAttempt = 0
        if !rejections.isEmpty {
            let modified = file.identity.mtimeNanoseconds
            failedAttempt = pipeline.failedOutputs.attempt(for: file.name, modified: modified, whole: outcome == .failed)
            let stem = ArchiveName.name(for: file.name, attempt: failedAttempt, reserve: ArchiveName.failedReserve)
            if outcome == .processed {
                pipeline.failedOutputs.write(stem, .lines(of: file, rejections.map { (offset: $0.byteOffset, length: $0.byteLength) }), modified: modified)
            }
            pipeline.failedOutputs.write(ArchiveName.sidecar(of: stem), .bytes(FailureSidecar.encode(file: file.name.text, rejections: rejections)),
                                         modified: modified)
        }
        // A file with no row yet was begun in this transaction and refused nothing: its commit's
        // record of such files stands for the row (PendingMoves), at a fifth of the writer's work
        // with one payload per file.
        if entry.id != nil { try session.saveLedgerEntry(&entry, at: now, finished: true) }
        report.finishedFilesModifiedAt.append(Double(file.identity.mtimeNanoseconds) / 1e9)
        if outcome == .failed {
            let first = rejections[0]
            report.failedFiles.append(FailedSpoolFile(name: file.name.text, reason: first.field.map { "\($0): \(first.reason)" } ?? first.reason,
                                                      errors: rejections.count,
                                                      bytes: file.identity.size))
        } else {
            report.processedFiles += 1
        }
        moveAfterCommit(FinishedFile(name: file.name, identity: file.identity, outcome: outcome), ledgerRow: entry.id,
                        failedAttempt: failedAttempt, readTo: max(entry.byteOffset, file.identity.size))
    }

    /// A FIFO, device, link or unreadable file: moved to `failed/` with the reason, so the spool keeps flowing.
    func quarantineUnusable(_ name: SpoolName, reason: String) throws {
        var info = stat()
        let modified = name.withCString({ fstatat(spool.descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0
            ? FileIdentity(info).mtimeNanoseconds : 0
        let attempt = pipeline.failedOutputs.attempt(for: name, modified: modified, whole: true)
        let stem = ArchiveName.name(for: name, attempt: attempt, reserve: ArchiveName.failedReserve)
        let rejection = Rejection(line: nil, field: nil, reason: "\(name) \(reason)", byteOffset: 0, byteLength: 0)
        pipeline.failedOutputs.write(ArchiveName.sidecar(of: stem), .bytes(FailureSidecar.encode(file: name.text, rejections: [rejection])),
                                     modified: modified)
        try pipeline.failedOutputs.sync()
        try SpoolDirectory.move(SpoolMove(name: name, destination: spool.failed, firstAttempt: attempt, reserve: ArchiveName.failedReserve),
                                from: spool.descriptor)
        report.rejected += 1
        report.failedFiles.append(FailedSpoolFile(name: name.text, reason: reason, errors: 1, bytes: 0))
        let note = RejectionNote(file: name.description, line: nil, field: nil, reason: reason)
        if report.notes.count < IngestReport.noteLimit { report.notes.append(note) }
        pipeline.logger.info("\(note.description)")
    }
}

/// Why a payload was refused, as the ledger and the sidecar keep it.
struct Refusal {
    let field: String?
    let reason: String

    init(field: String?, reason: String) {
        self.field = field
        self.reason = reason
    }

    init(_ error: PayloadError) {
        self.init(field: error.field, reason: error.reason)
    }
}
