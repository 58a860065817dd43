import ArgumentParser
import Foundation
import TriageDemo
import TriageEngine

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo spool and store, ingest it, and show the issue stream.",
        discussion: "Everything lives under --dir (default: $XDG_DATA_HOME/triage/demo), rebuilt on every run."
    )

    @Option(help: ArgumentHelp("Where to build the demo.", valueName: "dir"))
    var dir: String?

    @Flag(help: "Only prepare the demo and print where it is (also when not on a terminal).")
    var noTui = false

    @Option(help: ArgumentHelp("In the UI, drop a new demo occurrence into the spool every this many seconds (0: never).", valueName: "seconds"))
    var trickle = 4.0

    func run() throws {
        let root = dir ?? Locations.dataHome + "/triage/demo"
        let spoolPath = root + "/spool"
        let storePath = root + "/triage.sqlite"
        for stale in [spoolPath, storePath, storePath + "-wal", storePath + "-shm"] {
            try? FileManager.default.removeItem(atPath: stale)
        }
        // The demo's store, spool and tickets are its owner's, like any store (whatever the umask).
        try PrivateDirectory.create(root)
        try DemoSpool.write(to: spoolPath, now: Date().timeIntervalSince1970)
        let store = try SQLiteStore(path: storePath)
        let report = try SpoolIngestor(store: store, spool: try SpoolDirectory(path: spoolPath)).ingestAvailable()
        if !noTui, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            if trickle > 0 { startTrickle(into: spoolPath, every: trickle) }
            let settings = try TuiSettings(config: InterfaceSettings(), theme: nil, noColor: false, noMouse: false,
                                           query: "is:unresolved", environment: ProcessInfo.processInfo.environment)
            // A Markdown tracker in the demo directory, so `L` can be tried without configuring anything.
            let tickets = ConfiguredTracker(name: "tickets", plugin: MarkdownDirectoryTracker(directory: root + "/tickets"))
            let activity = UserActivity(actor: .current(environment: ProcessInfo.processInfo.environment))
            try TuiRunner(store: .local(store), limits: .default, settings: settings, trackers: [tickets], activity: activity, spoolPath: spoolPath).run()
            print("demo: store \(storePath), spool \(spoolPath)")
            return
        }
        print("demo: store \(storePath), spool \(spoolPath); rebuilt on every run (--dir puts them elsewhere)")
        print("demo: ingested \(report.accepted) occurrences into \(report.groupsCreated) groups; \(report.rejected) bad payloads are in \(spoolPath)/failed/")
        let parser = QueryParser(registry: store.registry)
        if let hidden = try hiddenByDefault(store, parser) { print(hidden) }
        print()
        let groups = try store.groups(matching: try parser.parse("is:unresolved"), sort: .lastSeen, limit: nil, offset: 0)
        print(GroupTable(registry: store.registry, now: Date().timeIntervalSince1970, color: Terminal.colorEnabled, width: Terminal.columns)
            .render(groups, total: groups.count, query: "is:unresolved"), terminator: "")
        print("""

            Try:
              triage list --store \(storePath) --query 'type:error level:fatal'
              triage show --store \(storePath) \(groups.first?.shortID ?? "1")
              triage resolve --store \(storePath) \(groups.first?.shortID ?? "1")
              triage tui --store \(storePath) --spool \(spoolPath) --follow
            """)
    }

    /// Why the table below leaves some groups out: their types are not in the default search
    /// (`feedback`), so a newcomer does not take the missing row for a lost one.
    private func hiddenByDefault(_ store: SQLiteStore, _ parser: QueryParser) throws -> String? {
        let slugs = store.registry.types.filter { !$0.inDefaultSearch }.map(\.slug)
        guard !slugs.isEmpty else { return nil }
        let named = "type:" + slugs.joined(separator: ",")
        let count = try store.countGroups(matching: try parser.parse("is:unresolved " + named))
        guard count > 0 else { return nil }
        return "demo: \(count == 1 ? "1 group is" : "\(count) groups are") not in the view below: \(slugs.joined(separator: ", ")) is left out of "
            + "the default search unless a query names it (`triage list --query '\(named)'`)"
    }

    /// A stand-in producer: keeps dropping occurrences into the spool while the UI runs.
    private func startTrickle(into spoolPath: String, every seconds: Double) {
        let thread = Thread { @Sendable in
            var sequence = 0
            while true {
                Thread.sleep(forTimeInterval: seconds)
                try? DemoSpool.writeLiveOccurrence(to: spoolPath, now: Date().timeIntervalSince1970, sequence: sequence)
                sequence += 1
            }
        }
        thread.name = "triage-demo-producer"
        thread.start()
    }
}
