import Foundation
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

/// The threads of this process whose name starts with `prefix` (Linux keeps 15 bytes of a name),
/// with their nice values, read as `top` would: /proc/self/task/*/stat, field 19.
private func threads(named prefix: String) -> [(name: String, nice: Int)] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.compactMap { task in
        guard let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
                .trimmingCharacters(in: .newlines), name.hasPrefix(prefix),
              let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
              let afterName = stat.range(of: ") ", options: .backwards) else { return nil }
        // Fields after the name start at 3 (state); nice is field 19.
        let fields = stat[afterName.upperBound...].split(separator: " ")
        return Int(fields[19 - 3]).map { (name, $0) }
    }
}

/// Waits up to two seconds for `condition`.
private func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(2)
    while !condition() {
        guard Date() < deadline else { return false }
        usleep(5_000)
    }
    return true
}

/// What the worker's thread appends, read by the test's.
private final class Appended: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    func append(_ value: Int) { lock.withLock { values.append(value) } }
    var all: [Int] { lock.withLock { values } }
}

@Suite struct SerialWorkerTests {
    @Test func test_workRunsInOrderOnAThreadAtTheLowerPriorityAndTheCallerKeepsItsOwn() {
        let worker = SerialWorker(label: "triage.test-lowered", priority: .belowInteractive)
        let callerNiceness = IngestPriority.currentThreadNiceness
        let order = Appended()
        for index in 0..<100 { worker.async { order.append(index) } }
        let (ranAt, niceness) = worker.sync { (order.all.count, IngestPriority.currentThreadNiceness) }
        #expect(ranAt == 100, "sync runs after everything queued before it")
        #expect(order.all == Array(0..<100))
        #expect(niceness == min(19, callerNiceness + 10))
        #expect(IngestPriority.currentThreadNiceness == callerNiceness)
    }

    @Test func test_releasedWorkerRunsWhatWasQueuedAndItsThreadEnds() {
        var worker: SerialWorker? = SerialWorker(label: "triage.test-released", priority: .belowInteractive)
        let ran = DispatchSemaphore(value: 0)
        worker!.async { usleep(50_000) }
        worker!.async { ran.signal() }
        #expect(eventually { threads(named: "triage.test-rel").count == 1 }, "the worker has a thread of its own")
        worker = nil
        #expect(ran.wait(timeout: .now() + 2) == .success, "work queued before the release still runs")
        #expect(eventually { threads(named: "triage.test-rel").isEmpty }, "the thread ends once its work has run")
    }

    @Test func test_atNormalPriorityWorkRunsAtTheCallersNiceness() {
        let worker = SerialWorker(label: "triage.test-normal", priority: .normal)
        #expect(worker.sync { IngestPriority.currentThreadNiceness } == IngestPriority.currentThreadNiceness)
    }
}

@Suite struct IngestPriorityTests {
    /// All three helpers are used: lines decoded ahead, files moved, a bad line written to `failed/`.
    @Test func test_belowInteractiveIngestStoresTheSameAndItsHelpersRunNicer() throws {
        var lines = (0..<300).map { PayloadBuilder(id: $0, fingerprint: "fp-\($0 % 7)").json }
        lines[150] = "{not json"
        let ordinary = try Workspace()
        let lowered = try Workspace()
        for workspace in [ordinary, lowered] {
            workspace.drop("a.jsonl", lines.joined(separator: "\n"))
            workspace.drop("b.json", PayloadBuilder(id: 1_000, fingerprint: "fp-b").json)
        }
        let expected = try ordinary.ingest()

        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        var ingestor: SpoolIngestor? = try SpoolIngestor(store: lowered.store, spool: lowered.spool, logger: quiet, priority: .belowInteractive)
        let report = try ingestor!.ingestAvailable()
        #expect(report.accepted == expected.accepted && report.accepted == 300)
        #expect(report.rejected == 1)
        #expect(lowered.directory.files(in: "spool/failed") == ordinary.directory.files(in: "spool/failed"))
        #expect(try lowered.groups().map(\.timesSeen).sorted() == ordinary.groups().map(\.timesSeen).sorted())

        let base = IngestPriority.currentThreadNiceness
        let helpers = ["triage.decode-a", "triage.spool-mo", "triage.failed-o"].flatMap { threads(named: $0) }
        #expect(helpers.count == 3, "one thread per helper: \(helpers)")
        #expect(helpers.allSatisfy { $0.nice == min(19, Int(base) + 10) }, "\(helpers)")
        ingestor = nil
        #expect(eventually { ["triage.decode-a", "triage.spool-mo", "triage.failed-o"].allSatisfy { threads(named: $0).isEmpty } },
                "the helpers' threads end with the ingestor")
    }
}
