import Foundation
import FuzzSupport
import Logging
import TriageEngine

// libFuzzer target for semantics, not syntax: each input is dropped into a real spool as a `.json`
// file and as a `.jsonl` file, ingested into a real SQLite store that lives for the whole run, and
// every group it touched is then listed and shown as the CLI would. A crash or trap anywhere on that
// path is a bug; so is a file left in the spool, since one input must never stop the rest.
// Built by `scripts/fuzz` (FUZZING); otherwise it replays corpus files (`FuzzIngest FILE...`).

private final class Harness {
    let root = NSTemporaryDirectory() + "triage-fuzz-ingest-\(getpid())"
    let store: SQLiteStore
    let spool: SpoolDirectory
    let ingestor: SpoolIngestor
    var round = 0

    init() {
        try? FileManager.default.removeItem(atPath: root)
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // The clock stands where the corpus's times are, so plausible times are accepted as they come.
        store = try! SQLiteStore(path: root + "/store.sqlite", clock: ManualClock(1_790_000_000))
        spool = try! SpoolDirectory(path: root + "/spool")
        var quiet = Logger(label: "fuzz")
        quiet.logLevel = .critical
        ingestor = try! SpoolIngestor(store: store, spool: spool, logger: quiet, batchRows: 64)
    }

    func run(_ bytes: [UInt8]) {
        round += 1
        // A new name each round: reused names are a spool feature of their own, not this target's.
        for name in ["\(round).json", "\(round).jsonl"] {
            precondition(FileManager.default.createFile(atPath: "\(spool.path)/\(name)", contents: Data(bytes)), "cannot write \(name)")
        }
        _ = try! ingestor.ingestAvailable()
        let left = try! spool.readyFiles()
        precondition(left.ready.isEmpty && left.skipped.isEmpty, "ingest left files in the spool: \(left.ready)")
        let everything = try! QueryParser(registry: store.registry).parse("")
        for group in try! store.groups(matching: everything, sort: .lastSeen, limit: 3, offset: 0) {
            var json = JSONWriter()
            GroupJSON.write(group, registry: store.registry, into: &json)
            let details = try! store.details(of: group.id)
            _ = GroupJSON.details(details, registry: store.registry)
            _ = EvidenceTable.rows(ofPayload: details.payload)
            _ = ISOTime.relative(group.lastSeen, now: store.clock.now())
        }
        _ = try! store.noiseHeld(limit: 3)
    }
}

@main enum Main {
    static func main() {
        let harness = Harness()
        FuzzEntry.main { harness.run($0) }
    }
}
