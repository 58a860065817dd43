import TriageTestSupport
import Foundation
import Testing

/// `triage assign`, `triage note` and the assignment queries, on the real binary and a real store.
@Suite struct TeamCommandTests {
    /// A store with groups P1-1, P1-2 and P1-3, ingested from a real spool.
    private func store(_ scratch: TemporaryDirectory) throws -> String {
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let lines = (1...3).map { id in
            #"{"id":"\#(String(format: "%032x", id))","project_id":1,"fingerprint":["f\#(id)"],"issue_title":"T \#(id)","subtitle":"","culprit":"","evidence_data":{},"evidence_display":[],"type":1,"detection_time":1790000000,"event_id":"\#(String(format: "%032x", id + 100))"}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: spool + "/a.jsonl", atomically: true, encoding: .utf8)
        #expect(try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path).status == 0)
        return store
    }

    private func shortIDs(_ store: String, _ query: String, _ scratch: TemporaryDirectory, as user: String = "tester") throws -> [String] {
        let result = try TriageProcess.run(["list", "--store", store, "--query", query, "--json", "--fields", "short_id"],
                                           home: scratch.path, environment: ["TRIAGE_USER": user])
        #expect(result.status == 0, "\(query): \(result.stderr)")
        return (try TriageProcess.json(result.stdout) as? [[String: Any]] ?? []).compactMap { $0["short_id"] as? String }.sorted()
    }

    @Test func test_assignSetsTheAssigneeAndQueriesFindIt() throws {
        let scratch = TemporaryDirectory()
        let store = try store(scratch)
        let assign = try TriageProcess.run(["assign", "P1-1", "2", "--to", "alice", "--store", store], home: scratch.path)
        #expect(assign.status == 0, "\(assign.stderr)")
        #expect(assign.stdout == "P1-1: nobody → alice\nP1-2: nobody → alice\n")
        let mine = try TriageProcess.run(["assign", "P1-2", "P1-3", "--to", "me", "--store", store], home: scratch.path,
                                         environment: ["TRIAGE_USER": "bob"])
        #expect(mine.stdout == "P1-2: alice → bob\nP1-3: nobody → bob\n")
        #expect(try TriageProcess.run(["assign", "P1-3", "--to", "bob", "--store", store], home: scratch.path).stdout == "P1-3: already bob\n")

        #expect(try shortIDs(store, "assigned:alice", scratch) == ["P1-1"])
        #expect(try shortIDs(store, "assigned:me", scratch, as: "bob") == ["P1-2", "P1-3"])
        #expect(try shortIDs(store, "assigned:alice,me", scratch, as: "bob") == ["P1-1", "P1-2", "P1-3"])
        #expect(try shortIDs(store, "is:assigned", scratch) == ["P1-1", "P1-2", "P1-3"])

        let none = try TriageProcess.run(["assign", "P1-1", "--to", "none", "--store", store], home: scratch.path)
        #expect(none.stdout == "P1-1: alice → nobody\n")
        #expect(try shortIDs(store, "is:unassigned", scratch) == ["P1-1"])
        #expect(try shortIDs(store, "!is:assigned", scratch) == ["P1-1"])
        #expect(try shortIDs(store, "!assigned:me", scratch, as: "bob") == ["P1-1"], "nobody's groups are not mine")

        let list = try #require(try TriageProcess.json(try TriageProcess.run(["list", "--store", store, "--query", "id:P1-2", "--json"],
                                                                                  home: scratch.path).stdout) as? [[String: Any]])
        #expect(list.first?["assignee"] as? String == "bob")
        let show = try #require(try TriageProcess.json(try TriageProcess.run(["show", "P1-1", "--json", "--store", store],
                                                                                  home: scratch.path).stdout) as? [String: Any])
        let assignments = try #require(show["assignments"] as? [[String: Any]])
        #expect(assignments.map { $0["to"] as? String } == ["alice", nil])
        #expect(assignments.map { $0["actor"] as? String } == ["tester", "tester"])
    }

    @Test func test_assignRefusesBadNamesAndUnknownGroupsChangingNothing() throws {
        let scratch = TemporaryDirectory()
        let store = try store(scratch)
        let unknown = try TriageProcess.run(["assign", "P1-1", "P1-99", "--to", "alice", "--store", store], home: scratch.path)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "triage: no group \"P1-99\" in this store\n")
        #expect(try shortIDs(store, "is:assigned", scratch).isEmpty, "all or none")

        let control = try TriageProcess.run(["assign", "P1-1", "--to", "al\u{1B}[2Jice", "--store", store], home: scratch.path)
        #expect(control.status == 2)
        #expect(control.stderr.contains("cannot assign to \"al\\u{1b}[2Jice\": it holds a control character (U+001B at character 3)"), "\(control.stderr)")
        #expect(!control.stderr.contains("\u{1B}"), "the escape is shown inert")
        let spaced = try TriageProcess.run(["assign", "P1-1", "--to", "alice smith", "--store", store], home: scratch.path)
        #expect(spaced.status == 2)
        #expect(spaced.stderr.contains("a name is one word, without spaces"))
        let ownName = try TriageProcess.run(["assign", "P1-1", "--to", "me", "--store", store], home: scratch.path,
                                            environment: ["TRIAGE_USER": "Alice Smith"])
        #expect(ownName.status == 2)
        #expect(ownName.stderr.contains("set TRIAGE_USER to a name"))
        #expect(try TriageProcess.run(["assign", "P1-1", "--store", store], home: scratch.path).status == 2, "--to is required")
        #expect(try shortIDs(store, "is:assigned", scratch).isEmpty)

        let badQuery = try TriageProcess.run(["list", "--query", "assigned:", "--store", store], home: scratch.path)
        #expect(badQuery.status == 2)
        #expect(badQuery.stderr.contains("assigned: needs a value"))
    }

    @Test func test_noteAddsToTheHistoryWithAuthorAndTime() throws {
        let scratch = TemporaryDirectory()
        let store = try store(scratch)
        let note = try TriageProcess.run(["note", "P1-1", "handing over:\nrestarted the poller twice", "--store", store], home: scratch.path,
                                         environment: ["TRIAGE_USER": "alice"])
        #expect(note.status == 0, "\(note.stderr)")
        #expect(note.stdout == "P1-1: note added by alice\n")
        let json = try #require(try TriageProcess.json(try TriageProcess.run(["show", "P1-1", "--json", "--store", store],
                                                                                  home: scratch.path).stdout) as? [String: Any])
        let notes = try #require(json["notes"] as? [[String: Any]])
        #expect(notes.count == 1)
        #expect(notes.first?["author"] as? String == "alice")
        #expect(notes.first?["text"] as? String == "handing over:\nrestarted the poller twice")
        #expect((notes.first?["at"] as? String)?.hasSuffix("Z") == true)

        let human = try TriageProcess.run(["show", "P1-1", "--store", store], home: scratch.path)
        #expect(human.stdout.contains("note by alice:\n      handing over:\n      restarted the poller twice"), "\(human.stdout)")
    }

    @Test func test_noteRefusesEmptyTextControlCharactersAndUnknownGroups() throws {
        let scratch = TemporaryDirectory()
        let store = try store(scratch)
        let empty = try TriageProcess.run(["note", "P1-1", "  ", "--store", store], home: scratch.path)
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("a note needs some text"))
        let control = try TriageProcess.run(["note", "P1-1", "ok\u{07}", "--store", store], home: scratch.path)
        #expect(control.status == 2)
        #expect(control.stderr.contains("cannot add the note: it holds a control character (U+0007 at character 3)"))
        let unknown = try TriageProcess.run(["note", "P7-9", "hello", "--store", store], home: scratch.path)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "triage: no group \"P7-9\" in this store\n")
        let json = try #require(try TriageProcess.json(try TriageProcess.run(["show", "P1-1", "--json", "--store", store],
                                                                                  home: scratch.path).stdout) as? [String: Any])
        #expect((json["notes"] as? [Any])?.isEmpty == true)
    }

    @Test func test_assignDeliversAnAssignedNotificationBeforeItExits() throws {
        let scratch = TemporaryDirectory()
        let store = try store(scratch)
        let log = scratch.path + "/notifications.jsonl"
        let config = scratch.path + "/triage.toml"
        try "[[notifiers]]\nname = \"log\"\nkind = \"jsonl\"\npath = \"\(log)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let assign = try TriageProcess.run(["assign", "P1-1", "P1-2", "--to", "alice", "--store", store, "--config", config], home: scratch.path,
                                           environment: ["TRIAGE_USER": "bob"])
        #expect(assign.status == 0, "\(assign.stderr)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try TriageProcess.json(String(lines[0])) as? [String: Any])
        #expect(first["reason"] as? String == "assigned")
        #expect(first["detail"] as? String == "assigned to alice by bob")
        #expect((first["group"] as? [String: Any])?["assignee"] as? String == "alice")
    }
}
