/// How a spool file ended.
package enum FileOutcome: String {
    case processed
    case failed
}

/// Per-file counters, kept in the ledger so a resumed file adds to what it already did.
package struct FileCounts: Equatable {
    package var accepted = 0
    package var duplicates = 0
    package var rejected = 0
    package var noiseHeld = 0
    package var statusChanges = 0

    package init(accepted: Int = 0, duplicates: Int = 0, rejected: Int = 0, noiseHeld: Int = 0, statusChanges: Int = 0) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.rejected = rejected
        self.noiseHeld = noiseHeld
        self.statusChanges = statusChanges
    }
}

/// A spool file's row in `ingest_files`. The row is written lazily (`id` nil until then): a file
/// that is finished within one transaction costs one INSERT, not an INSERT and an UPDATE.
package struct LedgerEntry {
    package var id: Int64?
    package let name: SpoolName
    package let identity: FileIdentity
    package var byteOffset: Int64
    package var line: Int
    package var outcome: FileOutcome?
    package var counts: FileCounts

    package init(id: Int64?, name: SpoolName, identity: FileIdentity, byteOffset: Int64, line: Int, outcome: FileOutcome?, counts: FileCounts) {
        self.id = id
        self.name = name
        self.identity = identity
        self.byteOffset = byteOffset
        self.line = line
        self.outcome = outcome
        self.counts = counts
    }
}

/// One refused payload, as recorded for the sidecar.
public struct Rejection: Sendable, Equatable {
    public let line: Int?
    public let field: String?
    public let reason: String
    package let byteOffset: Int64
    package let byteLength: Int

    package init(line: Int?, field: String?, reason: String, byteOffset: Int64, byteLength: Int) {
        self.line = line
        self.field = field
        self.reason = reason
        self.byteOffset = byteOffset
        self.byteLength = byteLength
    }
}
