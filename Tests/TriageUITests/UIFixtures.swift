import Foundation
import TriageEngine
import TriageTestSupport
@testable import TriageUI

/// The UI tests' workspace: a real store filled through a real spool, its clock ten minutes after the
/// payloads' default detection time, and an app on it at a fixed size.
extension Workspace {
    static func forUI(now: Double = 1_790_000_600, settings: EngineSettings = EngineSettings(), holding payloads: [String] = []) throws -> Workspace {
        let workspace = try Workspace(settings: settings, now: now)
        if !payloads.isEmpty { try workspace.ingest(payloads) }
        return workspace
    }

    /// Three groups, newest first: "Timeout in checkout", "Disk full", "Timeout in search" (a word
    /// such as "timeout" matches two of them).
    /// Two error groups, newest first: "Error A" (1) and "Error B" (2).
    static func errorsAAndB() throws -> Workspace {
        try forUI(holding: [
            occurrence(1, fingerprint: "a", title: "Error A", time: 1_790_000_500),
            occurrence(2, fingerprint: "b", title: "Error B", time: 1_790_000_400),
        ])
    }

    static func twoTimeoutsAndADiskFull() throws -> Workspace {
        try forUI(holding: [
            occurrence(1, fingerprint: "a", title: "Timeout in checkout", time: 1_790_000_500),
            occurrence(2, fingerprint: "b", title: "Disk full", time: 1_790_000_400),
            occurrence(3, fingerprint: "c", title: "Timeout in search", time: 1_790_000_300),
        ])
    }

    func app(width: Int = 100, height: Int = 20, query: String = "is:unresolved", following: Bool? = nil,
             keymap: Keymap = .default, themes: ThemeCatalog = ThemeCatalog(userDirectory: nil),
             countCap: Int = TriageApp.defaultCountCap, keystrokeBudget: Double = TriageApp.defaultKeystrokeBudget) throws -> TriageApp {
        try TriageApp(store: store, clock: clock, keymap: keymap, themes: themes, query: query, following: following,
                      width: width, height: height, countCap: countCap, keystrokeBudget: keystrokeBudget)
    }

    /// An occurrence with two important evidence rows and an event tagged `region: eu` (the golden
    /// screens show its event id, `id + 9000`).
    static func occurrence(_ id: Int, fingerprint: String, title: String, type: Int = 1, level: String = "error",
                           time: Double = 1_790_000_000, evidence: String? = nil) -> String {
        let display = evidence ?? #"[{"name":"Reason","value":"boom","important":false},{"name":"Failure reason","value":"A missed check-in","important":true},{"name":"Env","value":"us","important":true}]"#
        return PayloadBuilder.bare(id: id, fingerprint: fingerprint, type: type, time: time, title: title)
            .with("subtitle", #""sub""#)
            .with("culprit", #""app.py""#)
            .with("evidence_data", #"{"k":1}"#)
            .with("evidence_display", display)
            .with("level", "\"\(level)\"")
            .with("event_id", "\"\(PayloadBuilder.uuid(id + 9000))\"")
            .event(tags: #"{"region":"eu"}"#)
            .json
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
