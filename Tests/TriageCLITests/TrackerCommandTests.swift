import Foundation
import Testing
import TriageTestSupport

/// `link` and `unlink` on the real binary against trackers that are slow, racing or down.
@Suite struct TrackerCommandTests {
    /// A store with one group (1) and the config file's path.
    private struct Setup {
        let scratch = TemporaryDirectory()
        var store: String { scratch.path + "/store.sqlite" }
        var config: String { scratch.path + "/config.toml" }

        init(config text: String) throws {
            try text.write(toFile: scratch.path + "/config.toml", atomically: true, encoding: .utf8)
            let spool = scratch.path + "/spool"
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            try PayloadBuilder.bare(id: 1, title: "Checkout failed").json
                .write(toFile: spool + "/a.json", atomically: true, encoding: .utf8)
            let ingest = try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--config", config], home: scratch.path)
            #expect(ingest.status == 0, "\(ingest.stderr)")
        }

        func triage(_ arguments: [String]) throws -> TriageProcess.Result {
            try TriageProcess.run(arguments + ["--store", store, "--config", config], home: scratch.path)
        }

        func links() throws -> [[String: Any]] {
            let shown = try #require(try TriageProcess.json(try triage(["show", "1", "--json"]).stdout) as? [String: Any])
            return try #require(shown["links"] as? [[String: Any]])
        }
    }

    @Test func test_twoConcurrentCreatesFileOneTicketAndKeepItsLink() throws {
        let setup = try Setup(config: "")
        let calls = setup.scratch.path + "/calls"
        // Slow enough that both commands are past their checks before either tracker call returns.
        let script = "cat > /dev/null; echo x >> '\(calls)'; sleep 1; echo '{\"id\": \"OPS-'$(wc -l < '\(calls)')'\"}'"
        try """
            [plugins.ops]
            kind = "command"
            argv = ["/bin/sh", "-c", "\(script.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))"]
            """.write(toFile: setup.config, atomically: true, encoding: .utf8)
        let racers = try (0..<2).map { _ in
            try TriageProcess.start(["link", "1", "--tracker", "ops", "--create", "--store", setup.store, "--config", setup.config],
                                    home: setup.scratch.path)
        }
        let results = racers.map { process in
            let stderr = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (status: process.terminationStatus, stderr: String(decoding: stderr, as: UTF8.self))
        }
        #expect(results.map(\.status).sorted() == [0, 1], "\(results)")
        let refused = try #require(results.first { $0.status == 1 })
        #expect(refused.stderr.hasPrefix("triage: a ticket for group 1 in ops is being filed, or its outcome is unknown (by \"tester\" at "))
        #expect(try String(contentsOfFile: calls, encoding: .utf8) == "x\n", "the tracker was asked once: no orphan ticket")
        let links = try setup.links()
        #expect(links.map { $0["external_id"] as? String } == ["OPS-1"])
        #expect(links.first?["state"] as? String == "linked")
    }

    @Test func test_aCreateThatTimesOutLeavesAClaimToSettleAndUnlinkLocalRemovesALinkWhileTheTrackerIsDown() throws {
        let scratch = TemporaryDirectory()
        let server = try TicketServer(directory: scratch.path, createDelay: 3)
        defer { server.stop() }
        let setup = try Setup(config: "[plugins.desk]\nkind = \"webhook\"\nurl = \"\(server.url)\"\ntimeout = 1\n")

        let created = try setup.triage(["link", "1", "--tracker", "desk", "--create"])
        #expect(created.status == 1)
        #expect(created.stderr == "triage: desk: \(server.url) did not answer within 1s; the ticket may or may not exist: "
                + "if the ticket exists, link it with `triage link 1 --tracker desk --id ID`; "
                + "if not, clear the claim with `triage unlink 1 --tracker desk --local`\n")
        let claim = try #require(try setup.links().first)
        #expect(claim["state"] as? String == "claimed")
        #expect(claim["external_id"] is NSNull)
        #expect(try setup.triage(["show", "1"]).stdout.contains("linked       desk: ticket being filed or its outcome unknown (by tester at "))
        let again = try setup.triage(["link", "1", "--tracker", "desk", "--create"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("is being filed, or its outcome is unknown"), "\(again.stderr)")
        #expect(server.actions == ["create"], "the second create never reached the tracker")

        // The ticket turned up: naming it settles the claim.
        let named = try setup.triage(["link", "1", "--tracker", "desk", "--id", "DESK-9"])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try setup.links().map { $0["external_id"] as? String } == ["DESK-9"])

        server.stop()
        let refused = try setup.triage(["unlink", "1", "--tracker", "desk"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasSuffix("; to remove the link here without telling desk, add --local\n"), "\(refused.stderr)")
        #expect(try setup.links().count == 1)
        let local = try setup.triage(["unlink", "1", "--tracker", "desk", "--local"])
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.stdout == "P1-1: unlinked from DESK-9; desk was not told\n")
        #expect(try setup.links().isEmpty)
    }

    @Test func test_aClaimLeftBehindIsClearedByUnlink() throws {
        let scratch = TemporaryDirectory()
        let server = try TicketServer(directory: scratch.path, createDelay: 3)
        defer { server.stop() }
        let setup = try Setup(config: "[plugins.desk]\nkind = \"webhook\"\nurl = \"\(server.url)\"\ntimeout = 1\n")
        #expect(try setup.triage(["link", "1", "--tracker", "desk", "--create"]).status == 1)
        let cleared = try setup.triage(["unlink", "1", "--tracker", "desk", "--local"])
        #expect(cleared.status == 0, "\(cleared.stderr)")
        #expect(try setup.links().isEmpty)
        #expect(server.actions == ["create"], "nothing to tell the tracker about a claim")
    }

    @Test func test_unlinkLocalRemovesALinkToATrackerGoneFromTheConfig() throws {
        let setup = try Setup(config: "")
        try "[plugins.tickets]\nkind = \"markdown\"\ndirectory = \"\(setup.scratch.path)/tickets\"\n"
            .write(toFile: setup.config, atomically: true, encoding: .utf8)
        #expect(try setup.triage(["link", "1", "--tracker", "tickets", "--create"]).status == 0)
        try "".write(toFile: setup.config, atomically: true, encoding: .utf8)
        let refused = try setup.triage(["unlink", "1", "--tracker", "tickets"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasSuffix("; to remove the link here without telling tickets, add --local\n"), "\(refused.stderr)")
        let local = try setup.triage(["unlink", "1", "--tracker", "tickets", "--local"])
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.stdout == "P1-1: unlinked from P1-1.md; tickets was not told\n")
        #expect(try setup.links().isEmpty)
    }
}
