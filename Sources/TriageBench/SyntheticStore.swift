import Foundation
import Logging
import TriageEngine

/// A store filled with synthetic groups (`occurrencesPerGroup` each) for the UI benchmarks, through
/// the engine's own ingest: payloads are written a slice at a time into a spool beside the store and
/// ingested, so every row follows the rules the engine writes by (grouping, lifecycle, the search
/// index), at the price of ingest's speed (minutes for a million groups, once per store).
public enum SyntheticStore {
    /// Groups of types without a noise limit, so each group forms at its first occurrence.
    static let kinds = [(typeID: 1, title: "TypeError: cannot read property of undefined", level: "error"),
                        (typeID: 1018, title: "Endpoint regression on /api/orders", level: "warning"),
                        (typeID: 4001, title: "Monitor failure: poll_service", level: "error"),
                        (typeID: 2003, title: "JSON decoding on main thread in checkout", level: "info"),
                        (typeID: 2001, title: "File IO on main thread", level: "fatal")]
    /// Groups a slice: its spool holds at most this many groups' payloads at once.
    static let slice = 20_000
    static let linesPerFile = 1_000

    /// Adds groups until the store holds `groups` (the `n`th group's fingerprint is `fp-n`, so a fill
    /// that was interrupted carries on where it stopped). Their last occurrences spread over the day
    /// before `now`, a minute apart within a group.
    public static func fill(_ store: SQLiteStore, groups: Int, occurrencesPerGroup: Int = 5, now: Double) throws {
        try fill(store, spoolPath: store.path + ".fill-spool", groups: groups, occurrencesPerGroup: occurrencesPerGroup, now: now) { spool, logger in
            try SpoolIngestor(store: store, spool: spool, logger: logger)
        }
    }

    /// The same through any backend's ingest: `ingestor` makes the one that writes into `store`.
    public static func fill(_ store: any IssueStore, spoolPath: String, groups: Int, occurrencesPerGroup: Int = 5, now: Double,
                            ingestor makeIngestor: (SpoolDirectory, Logger) throws -> SpoolIngestor) throws {
        defer { try? FileManager.default.removeItem(atPath: spoolPath) }
        let spool = try SpoolDirectory(path: spoolPath)
        var quiet = Logger(label: "triage.bench")
        quiet.logLevel = .error
        let ingestor = try makeIngestor(spool, quiet)
        var start = try store.countGroups(matching: .all)
        while start < groups {
            let end = min(groups, start + slice)
            try writeSlice(start..<end, occurrencesPerGroup: occurrencesPerGroup, now: now, into: spoolPath)
            let report = try ingestor.ingestAvailable()
            guard report.rejected == 0 else { throw SyntheticStoreFailure.refused(report.notes.map(\.description)) }
            // The archived files would take gigabytes over a million groups.
            try? FileManager.default.removeItem(atPath: spoolPath + "/processed")
            try FileManager.default.createDirectory(atPath: spoolPath + "/processed", withIntermediateDirectories: true)
            start = end
        }
    }

    /// The events the store's groups have seen, read a page at a time so a million groups never sit
    /// in memory at once.
    public static func occurrenceCount(_ store: any IssueStore) throws -> Int {
        let page = 50_000
        var total = 0
        var offset = 0
        while true {
            let groups = try store.groups(matching: .all, sort: .firstSeen, limit: page, offset: offset)
            total += groups.reduce(0) { $0 + $1.timesSeen }
            guard groups.count == page else { return total }
            offset += page
        }
    }

    private static func writeSlice(_ indices: Range<Int>, occurrencesPerGroup: Int, now: Double, into spool: String) throws {
        var lines: [String] = []
        var file = 0
        func flush() throws {
            guard !lines.isEmpty else { return }
            let name = String(format: "fill-%08d-%05d.jsonl", indices.lowerBound, file)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: spool + "/." + name))
            try FileManager.default.moveItem(atPath: spool + "/." + name, toPath: spool + "/" + name)
            lines.removeAll(keepingCapacity: true)
            file += 1
        }
        for index in indices {
            for number in 0..<occurrencesPerGroup {
                lines.append(payload(group: index, number: number, occurrencesPerGroup: occurrencesPerGroup, now: now))
                if lines.count == linesPerFile { try flush() }
            }
        }
        try flush()
    }

    /// The `number`th occurrence (0 the newest) of the `index`th group.
    static func payload(group index: Int, number: Int, occurrencesPerGroup: Int, now: Double) -> String {
        let kind = kinds[index % kinds.count]
        let title = "\(kind.title) #\(index)"
        let culprit = "app/module\(index % 97).py in handler\(index % 13)"
        let detected = now - Double(index % 86_400) - Double(number * 60)
        let seq = (index + 1) * occurrencesPerGroup + number
        return #"{"id":"\#(String(format: "%032x", seq))","project_id":\#(index % 20 + 1),"fingerprint":["fp-\#(index)"],"issue_title":"\#(title)","subtitle":"seen on host-\#(index % 50)","culprit":"\#(culprit)","evidence_data":{"n":\#(index)},"evidence_display":[{"name":"Reason","value":"boom \#(index)","important":true}],"type":\#(kind.typeID),"detection_time":\#(detected),"level":"\#(kind.level)","event_id":"\#(String(format: "%032x", seq + 1 << 40))"}"#
    }
}

/// A synthetic payload the engine refused: the generator and the engine's rules disagree.
public enum SyntheticStoreFailure: Error, CustomStringConvertible {
    case refused([String])

    public var description: String {
        switch self {
        case let .refused(notes): "the engine refused synthetic payloads: " + notes.joined(separator: "; ")
        }
    }
}
