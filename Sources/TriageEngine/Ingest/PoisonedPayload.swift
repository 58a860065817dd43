/// A payload that made a stage of ingest fail (the writer, the store refusing its values): it ends
/// the pass, which is rolled back and run again refusing that payload, so one payload never blocks
/// the spool. A failure of the disk or the store itself is no payload's fault: that ends the
/// command, and the files stay in the spool for a rerun.
struct PoisonedPayload: Error, CustomStringConvertible {
    struct Key: Hashable {
        let name: SpoolName
        let identity: FileIdentity
        /// The line in a `.jsonl` file; nil for a `.json` file.
        let line: Int?
    }

    /// Payloads refused this way in one `ingestAvailable`, at most: past it, a stage that fails for
    /// every payload ends the command instead of running the pass again for each.
    static let limit = 100

    let key: Key
    let reason: String

    var description: String {
        "\(key.name)\(key.line.map { ":\($0)" } ?? ""): could not be stored: \(reason)"
    }

    static func isCausedByThePayload(_ error: any Error, store: any IngestStore) -> Bool {
        if error is SpoolError || error is StoreError || error is PoisonedPayload { return false }
        return store.blamesThePayload(error)
    }
}
