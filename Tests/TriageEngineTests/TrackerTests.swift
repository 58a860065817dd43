import Foundation
import Testing
@testable import TriageEngine
import TriageTestSupport

/// Issue-tracker plugins against real counterparts: a directory, a child process, a local HTTP server.
@Suite struct TrackerTests {
    /// A store with one group (P1-1), trackers from `config`, analytics into a file in the workspace.
    private struct Setup {
        let workspace: Workspace
        let actions: TrackerActions
        let metrics = TriageMetrics()
        let analyticsPath: String

        init(_ config: String) throws {
            workspace = try Workspace()
            workspace.drop("a.json", PayloadBuilder(id: 1, title: "KeyError: 'id' | pipes *and* stars").json)
            try workspace.ingest()
            analyticsPath = workspace.directory.path + "/analytics.jsonl"
            let analytics = Analytics(sink: AnalyticsSink(path: analyticsPath, maxBytes: 1 << 20, keep: 2), clock: workspace.clock)
            let activity = UserActivity(actor: Actor(userID: "alice@example.com", defaultUserID: "alice"), analytics: analytics, metrics: metrics)
            actions = TrackerActions(store: workspace.store, trackers: try TriageConfig.parse(config, source: "test.toml").trackers,
                                     activity: activity, clock: workspace.clock)
        }

        var events: [[String: Any]] {
            ((try? String(contentsOfFile: analyticsPath, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
    }

    @Test func test_markdownTrackerWritesOneTicketFilePerCreateAndLinksExistingFiles() throws {
        let tickets = TemporaryDirectory()
        let setup = try Setup("""
            [plugins.tickets]
            kind = "markdown"
            directory = "\(tickets.path)"
            url_base = "https://git.example.com/ops/tickets/blob/main/"
            """)
        let link = try setup.actions.create(groupID: 1, tracker: "tickets")
        #expect(link == GroupLink(groupID: 1, tracker: "tickets", externalID: "P1-1.md", url: "https://git.example.com/ops/tickets/blob/main/P1-1.md",
                                  title: "[P1-1] KeyError: 'id' | pipes *and* stars", linkedBy: "alice@example.com", linkedAt: 1_790_000_000))
        let text = try #require(tickets.read("P1-1.md"))
        #expect(text.hasPrefix("# \\[P1\\-1\\] KeyError: 'id' \\| pipes \\*and\\* stars\n"), "payload text never becomes Markdown")
        #expect(text.contains("| **▶ Reason** | **boom** |"), "the important evidence row is marked")
        #expect(text.contains("| Host | h1 |"))
        #expect(try setup.workspace.store.details(of: 1).links == [link])

        #expect(throws: StoreError.alreadyLinked(groupID: 1, tracker: "tickets", externalID: "P1-1.md")) {
            try setup.actions.create(groupID: 1, tracker: "tickets")
        }
        #expect(tickets.files() == ["P1-1.md"], "a refused link leaves no orphan ticket")

        try setup.actions.unlink(groupID: 1, tracker: "tickets")
        #expect(try setup.workspace.store.links(of: 1).isEmpty)
        #expect(try setup.actions.create(groupID: 1, tracker: "tickets").externalID == "P1-1-2.md", "filing again keeps the old ticket")
        try setup.actions.unlink(groupID: 1, tracker: "tickets")
        let linked = try setup.actions.link(groupID: 1, tracker: "tickets", externalID: "P1-1")
        #expect(linked.externalID == "P1-1.md")
        #expect(linked.title == "[P1-1] KeyError: 'id' | pipes *and* stars")
    }

    @Test func test_markdownTrackerRefusesIdsThatAreNotPlainFileNames() throws {
        let tickets = TemporaryDirectory()
        let setup = try Setup("[plugins.tickets]\nkind = \"markdown\"\ndirectory = \"\(tickets.path)\"")
        #expect(throws: LinkError(tracker: "tickets", reason: "a ticket here is a file name like P1-3F.md (letters, digits, - _ .), not \"../../etc/passwd\"")) {
            try setup.actions.link(groupID: 1, tracker: "tickets", externalID: "../../etc/passwd")
        }
        #expect(throws: LinkError(tracker: "tickets", reason: "not found: \(tickets.path)/OPS-9.md")) {
            try setup.actions.link(groupID: 1, tracker: "tickets", externalID: "OPS-9")
        }
        #expect(try setup.workspace.store.links(of: 1).isEmpty)
    }

    @Test func test_commandTrackerGetsTheGroupOnStdinAndReadsTheIssueFromStdout() throws {
        let directory = TemporaryDirectory()
        let received = directory.path + "/stdin.json"
        let setup = try Setup("""
            [plugins.ops]
            kind = "command"
            argv = ["/bin/sh", "-c", "cat > '\(received)'; echo '{\\"id\\": 1234, \\"url\\": \\"https://tickets.example.com/1234\\", \\"title\\": \\"t\\"}'"]
            timeout = 5
            """)
        let link = try setup.actions.create(groupID: 1, tracker: "ops")
        #expect(link.externalID == "1234")
        #expect(link.url == "https://tickets.example.com/1234")
        let input = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: received))) as? [String: Any])
        #expect(input["action"] as? String == "create")
        #expect(input["actor"] as? String == "alice@example.com")
        let group = try #require(input["group"] as? [String: Any])
        #expect(group["short_id"] as? String == "P1-1")
        #expect((group["evidence"] as? [[String: Any]])?.first?["important"] as? Bool == true)
    }

    @Test func test_aFailingCommandIsAnErrorNamingTheTrackerAndNothingIsLinked() throws {
        let setup = try Setup("""
            [plugins.ops]
            kind = "command"
            argv = ["/bin/sh", "-c", "echo 'no such project' >&2; exit 4"]
            [plugins.mute]
            kind = "command"
            argv = ["/bin/echo", "not json"]
            """)
        #expect(throws: LinkError(tracker: "ops", reason: "/bin/sh exited with 4: no such project")) {
            try setup.actions.create(groupID: 1, tracker: "ops")
        }
        #expect(throws: LinkError(tracker: "mute", reason: "/bin/echo did not answer with a JSON object like {\"id\": \"OPS-12\", \"url\": \"https://...\"}")) {
            try setup.actions.create(groupID: 1, tracker: "mute")
        }
        #expect(try setup.workspace.store.links(of: 1).isEmpty)
        #expect(setup.events.isEmpty, "issue_tracker.used is recorded for uses that worked")
        #expect(setup.metrics.exposition().contains(#"triage_tracker_actions_total{action="create",outcome="failed",tracker="ops"} 1.0"#))
    }

    @Test func test_webhookTrackerPostsTheTicketAndReadsTheAnswer() throws {
        let directory = TemporaryDirectory()
        let server = try FakeTrackerServer(directory: directory.path)
        defer { server.stop() }
        let setup = try Setup("""
            [plugins.desk]
            kind = "webhook"
            url = "\(server.url)/tickets"
            [plugins.broken]
            kind = "webhook"
            url = "\(server.url)/broken"
            """)
        let created = try setup.actions.create(groupID: 1, tracker: "desk")
        #expect(created.externalID == "DESK-1")
        #expect(created.url == "\(server.url)/t/DESK-1")
        try setup.actions.unlink(groupID: 1, tracker: "desk")
        #expect(try setup.actions.link(groupID: 1, tracker: "desk", externalID: "DESK-77").externalID == "DESK-77")
        let actions = server.requests().compactMap { ($0["body"] as? [String: Any])?["action"] as? String }
        #expect(actions == ["create", "unlink", "link"])
        #expect(throws: LinkError(tracker: "broken", reason: "\(server.url)/broken answered 500: exploded")) {
            try setup.actions.create(groupID: 1, tracker: "broken")
        }
    }

    @Test func test_gitHubTrackerSpeaksTheIssuesAPI() throws {
        let directory = TemporaryDirectory()
        let server = try FakeTrackerServer(directory: directory.path)
        defer { server.stop() }
        setenv("TRIAGE_TEST_GITHUB_TOKEN", "secret", 1)
        let setup = try Setup("""
            [plugins.github]
            base_url = "\(server.url)"
            repo = "acme/backend"
            labels = ["triage"]
            token_env = "TRIAGE_TEST_GITHUB_TOKEN"
            [plugins.anonymous]
            kind = "github"
            base_url = "\(server.url)"
            repo = "acme/backend"
            token_env = "TRIAGE_TEST_UNSET_TOKEN"
            """)
        let created = try setup.actions.create(groupID: 1, tracker: "github")
        #expect(created.externalID == "42")
        #expect(created.url == "\(server.url)/acme/backend/issues/42")
        #expect(setup.actions.render(created) == "acme/backend#42")
        let post = try #require(server.requests().first)
        #expect(post["auth"] as? String == "Bearer secret")
        let body = try #require(post["body"] as? [String: Any])
        #expect(body["labels"] as? [String] == ["triage"])
        #expect((body["body"] as? String)?.contains("| **▶ Reason** | **boom** |") == true)

        try setup.actions.unlink(groupID: 1, tracker: "github")
        let linked = try setup.actions.link(groupID: 1, tracker: "github", externalID: "#7")
        #expect(linked.title == "Existing bug")
        try setup.actions.unlink(groupID: 1, tracker: "github")
        #expect(throws: LinkError(tracker: "github", reason: "not found: no issue 404 in acme/backend")) {
            try setup.actions.link(groupID: 1, tracker: "github", externalID: "404")
        }
        #expect(throws: LinkError(tracker: "anonymous",
                                  reason: "\(server.url)/repos/acme/backend/issues answered 401: Bad credentials (no token: set $TRIAGE_TEST_UNSET_TOKEN)")) {
            try setup.actions.create(groupID: 1, tracker: "anonymous")
        }
        let used = setup.events.filter { $0["type"] as? String == "issue_tracker.used" }.compactMap { $0["data"] as? [String: Any] }
        #expect(used.map { $0["action"] as? String } == ["create", "unlink", "link", "unlink"])
        #expect(used.first?["issue_tracker"] as? String == "github")
        #expect(used.first?["user_id"] as? String == "alice@example.com")
        #expect(used.first?["default_user_id"] as? String == "alice")
        #expect(used.first?["group_id"] as? Int == 1)
        #expect(used.first?["project_id"] as? Int == 1)
    }

    @Test(arguments: [
        ("[plugins.x]\nkind = \"jira\"", "test.toml: plugins.x.kind: 'jira' is not an issue-tracker plugin (known: markdown, command, webhook, github)"),
        ("[plugins.tickets]\nkind = \"markdown\"", "test.toml: plugins.tickets.directory: is required"),
        ("[plugins.tickets]\nkind = \"markdown\"\ndirectory = \"/t\"\ndirektory = 1",
         "test.toml: plugins.tickets.direktory: unknown setting for the markdown tracker (known: directory, kind, url_base)"),
        ("[plugins.github]\nrepo = \"acme\"", "test.toml: plugins.github.repo: must be OWNER/NAME, like \"acme/backend\""),
        ("[plugins.hook]\nkind = \"webhook\"\nurl = \"file:///etc/passwd\"", "test.toml: plugins.hook.url: must be an http:// or https:// URL"),
        ("[plugins.run]\nkind = \"command\"",
         "test.toml: plugins.run.argv: is required: the program (an absolute path) and its arguments, like [\"/usr/local/bin/ticket\", \"--new\"]; no shell"),
        ("[plugins.run]\nkind = \"command\"\nargv = [\"ticket\"]",
         "test.toml: plugins.run.argv: the program must be an absolute path, not \"ticket\" (it runs without a shell or $PATH), like [\"/usr/local/bin/ticket\", \"--new\"]; no shell"),
    ])
    func test_configErrorsNameThePluginAndTheKey(config: String, message: String) {
        #expect(throws: ConfigError(file: "test.toml", message: String(message.dropFirst("test.toml: ".count)))) {
            try TriageConfig.parse(config, source: "test.toml")
        }
    }

    @Test func test_anUnknownTrackerNameListsTheConfiguredOnes() throws {
        let setup = try Setup("[plugins.tickets]\nkind = \"markdown\"\ndirectory = \"/tmp\"")
        #expect(throws: LinkError(tracker: "jira", reason: "no such tracker (configured: tickets)")) {
            try setup.actions.create(groupID: 1, tracker: "jira")
        }
    }
}
