import Foundation
import Logging
import TriageEngine
@testable import TriageUI

/// A real store filled through a real spool, and an app on it at a fixed size and clock.
struct UIWorkspace {
    let directory: String
    let store: SQLiteStore
    let clock: ManualClock

    init(now: Double = 1_790_000_600, settings: EngineSettings = EngineSettings()) throws {
        directory = NSTemporaryDirectory() + "triage-ui-" + UUID().uuidString
        clock = ManualClock(now)
        store = try SQLiteStore(path: directory + "/store.sqlite", settings: settings, clock: clock)
    }

    func ingest(_ payloads: [String], file: String = UUID().uuidString + ".jsonl") throws {
        let spool = try SpoolDirectory(path: directory + "/spool")
        try Data(payloads.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: directory + "/spool/" + file))
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        _ = try SpoolIngestor(store: store, spool: spool, logger: quiet).ingestAvailable()
    }

    func app(width: Int = 100, height: Int = 20, query: String = "is:unresolved", following: Bool? = nil,
             keymap: Keymap = .default, themes: ThemeCatalog = ThemeCatalog(userDirectory: nil),
             countCap: Int = TriageApp.defaultCountCap, keystrokeBudget: Double = TriageApp.defaultKeystrokeBudget) throws -> TriageApp {
        try TriageApp(store: store, clock: clock, keymap: keymap, themes: themes, query: query, following: following,
                      width: width, height: height, countCap: countCap, keystrokeBudget: keystrokeBudget)
    }

    static func occurrence(_ id: Int, fingerprint: String, title: String, type: Int = 1, level: String = "error",
                           time: Double = 1_790_000_000, evidence: String? = nil) -> String {
        let display = evidence ?? #"[{"name":"Reason","value":"boom","important":false},{"name":"Failure reason","value":"A missed check-in","important":true},{"name":"Env","value":"us","important":true}]"#
        return #"{"id":"\#(String(format: "%032x", id))","project_id":1,"fingerprint":["\#(fingerprint)"],"issue_title":"\#(title)","subtitle":"sub","culprit":"app.py","evidence_data":{"k":1},"evidence_display":\#(display),"type":\#(type),"detection_time":\#(time),"level":"\#(level)","event":{"event_id":"\#(String(format: "%032x", id + 9000))","project_id":1,"platform":"python","environment":"prod","received":1,"timestamp":1,"tags":{"region":"eu"}}}"#
    }
}

/// Performs the jobs the app asked for as the runner does (here on the test's thread), with the ones
/// their results start, until none is left; other effects stay for the test to read. Returns the jobs.
@discardableResult
func performJobs(_ app: TriageApp) -> [BackgroundJob] {
    var performed: [BackgroundJob] = []
    while true {
        let effects = app.takeEffects()
        let jobs = effects.compactMap { effect -> BackgroundJob? in
            if case let .perform(job) = effect { return job }
            return nil
        }
        app.state.effects += effects.filter { if case .perform = $0 { return false } else { return true } }
        guard !jobs.isEmpty else { return performed }
        for job in jobs {
            performed.append(job)
            app.dispatch(.finished(jobID: job.id, job.work()))
        }
    }
}
