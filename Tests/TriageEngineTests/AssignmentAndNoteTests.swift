import TriageTestSupport
import Foundation
import Logging
import Testing
@testable import TriageEngine

/// Assignment and notes on a real store: all or none, recorded with actor and time, in `show --json`.
@Suite struct AssignmentAndNoteTests {
    private func workspaceWithGroups(_ count: Int) throws -> Workspace {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", (1...count).map { PayloadBuilder(id: $0, fingerprint: "fp-\($0)").json }.joined(separator: "\n") + "\n")
        try workspace.ingest()
        return workspace
    }

    @Test func test_assigningRecordsWhoAndWhenAndUnassigningClears() throws {
        let workspace = try workspaceWithGroups(2)
        workspace.clock.advance(by: 60)
        let changes = try workspace.store.assign([1, 2], to: "alice", actor: "bob")
        #expect(changes.map(\.changed) == [true, true])
        #expect(try workspace.store.group("1").assignee == "alice")
        workspace.clock.advance(by: 60)
        let again = try workspace.store.assign([1], to: "alice", actor: "bob")
        #expect(again == [AssignmentChange(groupID: 1, at: workspace.clock.now(), actor: "bob", from: "alice", to: "alice")])
        #expect(!again[0].changed, "already hers: nothing recorded")
        try workspace.store.assign([1], to: nil, actor: "carol")
        #expect(try workspace.store.group("1").assignee == nil)

        let details = try workspace.store.details(of: 1)
        #expect(details.assignments == [
            AssignmentChange(groupID: 1, at: 1_790_000_060, actor: "bob", from: nil, to: "alice"),
            AssignmentChange(groupID: 1, at: 1_790_000_120, actor: "carol", from: "alice", to: nil),
        ])
        #expect(try workspace.count("SELECT count(*) FROM group_assignments") == 3)
    }

    @Test func test_assigningAnUnknownGroupChangesNoGroup() throws {
        let workspace = try workspaceWithGroups(1)
        #expect(throws: StoreError.groupNotFound("99")) { try workspace.store.assign([1, 99], to: "alice", actor: "bob") }
        #expect(try workspace.store.group("1").assignee == nil, "all or none")
        #expect(try workspace.count("SELECT count(*) FROM group_assignments") == 0)
    }

    @Test func test_namesThatCannotBeAssigneesAreRefusedByTheStore() throws {
        let workspace = try workspaceWithGroups(1)
        for (name, reason) in [("", "a name is needed (or `me`, or `none` to unassign)"),
                               ("al\u{1B}[31mice", "it holds a control character (U+001B at character 3)"),
                               ("ali\u{202E}ce", "it holds an invisible or reordering character (U+202E at character 4)"),
                               ("alice smith", "a name is one word, without spaces"),
                               ("alice,bob", "a name cannot hold a comma or a double quote (U+002C at character 6)"),
                               (String(repeating: "a", count: 101), "a name is at most 100 characters")] {
            #expect(throws: TeamInputError.badName(name, reason: reason)) { try workspace.store.assign([1], to: name, actor: "bob") }
        }
        #expect(try workspace.count("SELECT count(*) FROM groups WHERE assignee IS NOT NULL") == 0)
    }

    @Test func test_meAndNoneAreTheActorAndNobody() throws {
        #expect(try AssigneeName.target("me", me: "alice") == "alice")
        #expect(try AssigneeName.target(" none ", me: "alice") == nil)
        #expect(try AssigneeName.target("team:oncall", me: "alice") == "oncall", "Sentry's actor prefix is dropped")
        #expect(try AssigneeName.target("user:bob@example.com", me: "alice") == "bob@example.com")
        #expect(try AssigneeName.target("user:user:bob", me: "alice") == "bob", "every prefix, so that a query finds what a payload stored")
        #expect(AssignmentChange.name("user:bob@example.com") == "bob@example.com", "a name stored with its prefix reads without it")
        #expect(try AssigneeName.target("ME", me: "alice") == "alice", "the two words are read in any case")
        #expect(try AssigneeName.target("None", me: "alice") == nil)
        for half in ["team:", ":", ":bob"] {
            #expect(throws: TeamInputError.badName(half, reason: "a name cannot start or end with `:` (`team:oncall` is one)")) {
                try AssigneeName.target(half, me: "alice")
            }
        }
        #expect(throws: TeamInputError.badOwnName("Alice Smith", reason: "a name is one word, without spaces")) {
            try AssigneeName.target("me", me: "Alice Smith")
        }
        #expect(TeamInputError.badOwnName("Alice Smith", reason: "r").description
            == "`me` is \"Alice Smith\" ($TRIAGE_USER, else the login name), which cannot be an assignee: r; set TRIAGE_USER to a name")
    }

    @Test func test_notesKeepAuthorTimeAndTextAndJoinTheTimelineInOrder() throws {
        let workspace = try workspaceWithGroups(1)
        workspace.clock.advance(by: 10)
        try workspace.store.assign([1], to: "alice", actor: "bob")
        workspace.clock.advance(by: 10)
        let note = try workspace.store.addNote("  handing over to alice:\nrestarted the poller twice  \n", to: 1, author: "bob")
        #expect(note.text == "handing over to alice:\nrestarted the poller twice", "trimmed, inner newline kept")
        workspace.clock.advance(by: 10)
        _ = try workspace.store.apply(.resolve, to: [1], actor: "user:alice")

        let details = try workspace.store.details(of: 1)
        #expect(details.notes == [GroupNote(groupID: 1, at: 1_790_000_020, author: "bob", text: "handing over to alice:\nrestarted the poller twice")])
        let kinds = details.timeline.map { entry -> String in
            switch entry {
            case let .status(status): return status.cause
            case let .assignment(change): return "assigned " + AssignmentChange.name(change.to)
            case let .priority(change): return change.summary
            case let .note(note): return "note " + note.author
            }
        }
        #expect(kinds == ["occurrence:new_group", "assigned alice", "note bob", "user"])

        let json = try #require(try JSONSerialization.jsonObject(with: Data(GroupJSON.details(details, registry: .builtIn).utf8)) as? [String: Any])
        #expect(json["assignee"] as? String == "alice")
        let notes = try #require(json["notes"] as? [[String: Any]])
        #expect(notes.count == 1)
        #expect(notes[0]["author"] as? String == "bob")
        #expect(notes[0]["at"] as? String == ISOTime.format(1_790_000_020))
        #expect(notes[0]["text"] as? String == "handing over to alice:\nrestarted the poller twice")
        let assignments = try #require(json["assignments"] as? [[String: Any]])
        #expect(assignments.first?["to"] as? String == "alice")
        #expect(assignments.first?["actor"] as? String == "bob")
        #expect(assignments.first?["from"] is NSNull)
    }

    @Test func test_emptyOrControlCharacterNotesAndUnknownGroupsAreRefused() throws {
        let workspace = try workspaceWithGroups(1)
        #expect(throws: TeamInputError.emptyNote) { try workspace.store.addNote(" \n\t ", to: 1, author: "bob") }
        #expect(throws: TeamInputError.badNote(reason: "it holds a control character (U+001B at character 4)")) {
            try workspace.store.addNote("see\u{1B}]52;c;aGk=\u{07}", to: 1, author: "bob")
        }
        #expect(throws: StoreError.groupNotFound("7")) { try workspace.store.addNote("hello", to: 7, author: "bob") }
        #expect(try workspace.count("SELECT count(*) FROM group_notes") == 0)
    }

    @Test func test_assigneesInUseAreOfferedMostUsedFirst() throws {
        let workspace = try workspaceWithGroups(3)
        try workspace.store.assign([1, 2], to: "alice", actor: "x")
        try workspace.store.assign([3], to: "bob", actor: "x")
        try workspace.store.assign([3], to: "carol", actor: "x")
        #expect(try workspace.store.assignees(limit: 10) == ["alice", "carol", "bob"])
        #expect(try workspace.store.assignees(limit: 1) == ["alice"])
    }

    @Test func test_anAssignmentIsPostedToAWebhookOnARealLocalServer() throws {
        let workspace = try workspaceWithGroups(2)
        let server = try LocalHTTPServer(directory: workspace.directory.path)
        defer { server.stop() }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let dispatcher = try NotificationDispatcher(store: workspace.store, notifiers: [.webhook(name: "hook", url: server.url + "/hook", timeout: 5)],
                                                    logger: quiet)
        try workspace.store.assign([1, 2], to: "alice", actor: "bob")
        try workspace.store.assign([2], to: "alice", actor: "bob")
        try workspace.store.assign([2], to: nil, actor: "carol")
        #expect(try dispatcher.deliverDue() == NotificationDispatcher.Report(delivered: 3, failed: 0), "no notification for a group already hers")
        let bodies = server.requests()
        #expect(bodies.count == 3)
        #expect(bodies.allSatisfy { $0.hasPrefix("POST /hook ") && $0.contains("\"reason\":\"assigned\"") })
        #expect(bodies[0].contains("\"detail\":\"assigned to alice by bob\""))
        #expect(bodies[0].contains("\"assignee\":\"alice\""), "the group object says who has it")
        #expect(bodies[2].contains("\"detail\":\"assigned to nobody by carol\""))
        #expect(bodies[2].contains("\"assignee\":null"))
    }

    @Test func test_notesSendNoNotification() throws {
        let workspace = try workspaceWithGroups(1)
        let before = try workspace.store.latestNotificationID()
        try workspace.store.addNote("looking", to: 1, author: "bob")
        #expect(try workspace.store.latestNotificationID() == before)
    }

    @Test func test_assignmentQueriesParseAndMeNeedsSomeone() throws {
        let parser = QueryParser(registry: .builtIn, me: "bob")
        #expect(try parser.parse("assigned:me,alice").terms.map(\.filter) == [.assignees(["bob", "alice"])])
        #expect(try parser.parse("is:assigned !is:unassigned").terms.map(\.filter) == [.assigned(true), .assigned(false)])
        #expect(throws: QueryError(message: "assigned:me: who you are is not known here; name the assignee", column: 10)) {
            try QueryParser(registry: .builtIn).parse("assigned:me")
        }
        #expect(throws: QueryError(message: "assigned: unknown assignee (a name, or me) \"a\\u{1b}\"", column: 10)) {
            try parser.parse("assigned:a\u{1B}")
        }
    }

    @Test func test_aPayloadAssigneeAssignCouldNotSetIsDropped() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", [PayloadBuilder(id: 1, fingerprint: "a").with("assignee", #""user:al\u001b[2Jice""#).json,
                                   PayloadBuilder(id: 2, fingerprint: "b").with("assignee", #""team:a,b""#).json,
                                   PayloadBuilder(id: 3, fingerprint: "c").with("assignee", #""team:oncall""#).json].joined(separator: "\n") + "\n")
        try workspace.ingest()
        #expect(try workspace.groups().sorted { $0.id < $1.id }.map(\.assignee) == [nil, nil, "oncall"], "the occurrences are kept, the assignee dropped")
    }
}
