import Foundation
import GRDB
import Logging
@testable import TriageEngine

/// Builds occurrence payloads as JSON text; every field can be overridden or removed.
struct PayloadBuilder {
    var fields: [(String, String)]

    init(id: Int = 1, project: Int = 1, fingerprint: String = "fp-1", type: Int = 1, time: Double = 1_790_000_000,
         title: String = "TypeError: boom", level: String? = "error") {
        fields = [
            ("id", "\"\(PayloadBuilder.uuid(id))\""),
            ("project_id", "\(project)"),
            ("fingerprint", "[\"\(fingerprint)\",\"secondary\"]"),
            ("issue_title", "\"\(title)\""),
            ("subtitle", "\"sub\""),
            ("culprit", "\"app.py in main\""),
            ("evidence_data", #"{"k":[1,2,{"n":null}]}"#),
            ("evidence_display", #"[{"name":"Reason","value":"boom","important":true},{"name":"Host","value":"h1","important":false}]"#),
            ("type", "\(type)"),
            ("detection_time", "\(time)"),
            ("event_id", "\"\(PayloadBuilder.uuid(id + 1_000_000))\""),
        ]
        if let level { fields.append(("level", "\"\(level)\"")) }
    }

    static func uuid(_ number: Int) -> String {
        let hex = String(number, radix: 16)
        return String(repeating: "0", count: 32 - hex.count) + hex
    }

    func with(_ key: String, _ json: String) -> PayloadBuilder {
        var copy = self
        if let index = copy.fields.firstIndex(where: { $0.0 == key }) { copy.fields[index].1 = json } else { copy.fields.append((key, json)) }
        return copy
    }

    func without(_ key: String) -> PayloadBuilder {
        var copy = self
        copy.fields.removeAll { $0.0 == key }
        return copy
    }

    /// With an event whose user is `user` (as `event.user.id`).
    func seenBy(_ user: String) -> PayloadBuilder {
        let eventID = fields.first { $0.0 == "event_id" }!.1
        let project = fields.first { $0.0 == "project_id" }!.1
        return with("event", #"{"event_id":\#(eventID),"project_id":\#(project),"platform":"python","environment":"prod","tags":{},"timestamp":1,"received":1,"user":{"id":"\#(user)"}}"#)
    }

    var json: String { "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}" }
    var bytes: [UInt8] { Array(json.utf8) }
}

func statusChangeJSON(project: Int = 1, fingerprint: String = "fp-1", status: Int, substatus: Int?) -> String {
    "{\"payload_type\":\"status_change\",\"project_id\":\(project),\"fingerprint\":[\"\(fingerprint)\"],\"new_status\":\(status),\"new_substatus\":\(substatus.map(String.init) ?? "null")}"
}

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "triage-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) {
        _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(bytes))
    }

    func files(in subdirectory: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/" + subdirectory)) ?? []).sorted()
    }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A real store file and a real spool directory side by side.
struct Workspace {
    let directory = TemporaryDirectory()
    let store: SQLiteStore
    let spool: SpoolDirectory
    let clock: ManualClock

    init(registry: GroupTypeRegistry = .builtIn, settings: EngineSettings = EngineSettings(), now: Double = 1_790_000_000) throws {
        clock = ManualClock(now)
        store = try SQLiteStore(path: directory.path + "/store.sqlite", registry: registry, settings: settings, clock: clock)
        spool = try SpoolDirectory(path: directory.path + "/spool")
    }

    func drop(_ name: String, _ text: String) { directory.write("spool/" + name, text) }

    /// Ingests what is in the spool now (taking and releasing the spool lock).
    @discardableResult
    func ingest(limits: PayloadLimits = .default, batchRows: Int = 10_000) throws -> IngestReport {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        return try SpoolIngestor(store: store, spool: spool, limits: limits, logger: quiet, batchRows: batchRows).ingestAvailable()
    }

    func groups(_ query: String = "") throws -> [Group] {
        try store.groups(matching: QueryParser(registry: store.registry).parse(query), sort: .lastSeen, limit: nil, offset: 0)
    }

    func count(_ sql: String) throws -> Int {
        try store.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }
}
