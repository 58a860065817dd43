/// How a spool file ended.
enum FileOutcome: String {
    case processed
    case failed
}

/// Per-file counters, kept in the ledger so a resumed file adds to what it already did.
struct FileCounts: Equatable {
    var accepted = 0
    var duplicates = 0
    var rejected = 0
    var noiseHeld = 0
    var statusChanges = 0
}

/// A spool file's row in `ingest_files`. The row is written lazily (`id` nil until then): a file
/// that is finished within one transaction costs one INSERT, not an INSERT and an UPDATE.
struct LedgerEntry {
    var id: Int64?
    let name: SpoolName
    let identity: FileIdentity
    var byteOffset: Int64
    var line: Int
    var outcome: FileOutcome?
    var counts: FileCounts
}

/// One refused payload, as recorded for the sidecar.
public struct Rejection: Sendable, Equatable {
    public let line: Int?
    public let field: String?
    public let reason: String
    let byteOffset: Int64
    let byteLength: Int
}
