import Foundation
import Testing
import TriageTestSupport

/// Configured notifiers on the real binary: who receives what, and that delivering never holds up ingest.
@Suite struct NotifierTests {
    private func occurrence(_ id: Int, fingerprint: String) -> String {
        PayloadBuilder.bare(id: id, fingerprint: fingerprint, title: "Live \(fingerprint)").json
    }

    private func titles(store: String, home: String) throws -> Set<String> {
        let result = try TriageProcess.run(["list", "--store", store, "--query", "", "--plain", "--fields", "title"], home: home)
        return Set(result.stdout.split(separator: "\n").map(String.init))
    }

    @Test func test_aNotifierAddedToTheConfigReceivesWhatIsRecordedFromThenOn() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        let log = scratch.path + "/notifications.jsonl"
        let plain = scratch.path + "/plain.toml"
        let notifying = scratch.path + "/notifying.toml"
        try "".write(toFile: plain, atomically: true, encoding: .utf8)
        // The group is months old: the next ingest's rules auto-resolve it, before the pass, and notify.
        try "[notifications]\nresolved = true\n[projects.1]\nresolve_age = 1\n[[notifiers]]\nname = \"log\"\nkind = \"jsonl\"\npath = \"\(log)\"\n"
            .write(toFile: notifying, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try dropIntoSpool(occurrence(1, fingerprint: "a"), as: "a.json", into: spool)
        #expect(try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--config", plain], home: scratch.path).status == 0)
        let ingest = try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--config", notifying, "--json"], home: scratch.path)
        let summary = try #require(try TriageProcess.json(ingest.stdout) as? [String: Any])
        #expect(summary["notifications_sent"] as? Int == 1)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1, "not the new group recorded before the notifier was configured")
        #expect(lines.first?.contains("\"reason\":\"resolved\"") == true)
    }

    @Test func test_aSlowNotifierNeverHoldsUpFollowingIngest() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        let config = scratch.path + "/triage.toml"
        let started = scratch.path + "/started"
        let gate = scratch.path + "/gate"
        let delivered = scratch.path + "/delivered"
        // Each delivery says it started, then waits until the test opens the gate.
        let script = "cat > /dev/null; touch '\(started)'; while [ ! -e '\(gate)' ]; do sleep 0.05; done; echo x >> '\(delivered)'"
        try """
            [[notifiers]]
            name = "slow"
            kind = "command"
            argv = ["/bin/sh", "-c", "\(script.replacingOccurrences(of: "\"", with: "\\\""))"]
            timeout = 60
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let follower = try TriageProcess.start(["ingest", "--follow", "--json", "--spool", spool, "--store", store, "--config", config],
                                               home: scratch.path)
        defer {
            if follower.isRunning { kill(follower.processIdentifier, SIGKILL) }
            follower.waitUntilExit()
        }
        try dropIntoSpool(occurrence(1, fingerprint: "first"), as: "1.json", into: spool)
        #expect(waitUntil(seconds: 20) { FileManager.default.fileExists(atPath: started) }, "the first group's notification is being delivered")

        try dropIntoSpool(occurrence(2, fingerprint: "second"), as: "2.json", into: spool)
        let arrived = try waitUntil(seconds: 10) { try titles(store: store, home: scratch.path).contains("Live second") }
        #expect(arrived, "a file reaches the store while a delivery is under way")
        #expect(!FileManager.default.fileExists(atPath: delivered), "the first delivery is still waiting")

        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        let both = waitUntil(seconds: 20) {
            ((try? String(contentsOfFile: delivered, encoding: .utf8)) ?? "").split(separator: "\n").count == 2
        }
        #expect(both, "both groups are notified once the notifier answers")
        kill(follower.processIdentifier, SIGINT)
        let output = (follower.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        follower.waitUntilExit()
        let summary = try #require(try TriageProcess.json(String(decoding: output, as: UTF8.self)) as? [String: Any])
        #expect(summary["groups_created"] as? Int == 2)
        #expect(summary["notifications_sent"] as? Int == 2)
    }
}
