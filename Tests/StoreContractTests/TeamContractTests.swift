import Testing
import TriageEngine
import TriageTestSupport

/// Assignment and notes: all or none, recorded with their actor and time, notified, queried.
@Suite struct TeamContractTests {
    static let now = 1_790_000_000.0

    private func fixture(_ backend: StoreBackend) throws -> any StoreUnderContract {
        try backend.store(holding: (1...3).map { PayloadBuilder(id: $0, fingerprint: "g\($0)", type: 1).json }, now: Self.now)
    }

    @Test(arguments: StoreBackend.all)
    func test_anAssignmentAppliesToAllGroupsOrNoneAndRecordsEachChangeOnce(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        let store = fixture.store
        #expect(throws: StoreError.groupNotFound("99")) { try store.assign([1, 99], to: "alice", actor: "bob") }
        #expect(throws: TeamInputError.self) { try store.assign([1], to: "al ice", actor: "bob") }
        #expect(try fixture.groups().allSatisfy { $0.assignee == nil }, "nothing was written")
        let before = try store.latestNotificationID()

        fixture.clock.advance(by: 60)
        let changes = try store.assign([1, 2], to: "alice", actor: "bob")
        #expect(changes == [AssignmentChange(groupID: 1, at: Self.now + 60, actor: "bob", from: nil, to: "alice"),
                            AssignmentChange(groupID: 2, at: Self.now + 60, actor: "bob", from: nil, to: "alice")])
        let again = try store.assign([2, 3], to: "alice", actor: "carol")
        #expect(again.map(\.changed) == [false, true], "group 2 already had alice: nothing recorded for it")
        #expect(try store.details(of: 2).assignments.count == 1)

        let notified = try store.notifications(after: before, limit: 10)
        #expect(notified.map(\.reason) == [.assigned, .assigned, .assigned])
        #expect(notified.map(\.groupID) == [1, 2, 3])
        #expect(notified.first?.detail == "assigned to alice by bob")

        _ = try store.assign([1], to: nil, actor: "bob")
        #expect(try store.group("1").assignee == nil)
        #expect(try store.details(of: 1).assignments.map(\.to) == ["alice", nil])
    }

    @Test(arguments: StoreBackend.all)
    func test_assignedQueriesFindWhoHasWhat(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        _ = try fixture.store.assign([1], to: "alice", actor: "bob")
        _ = try fixture.store.assign([2], to: "bob", actor: "bob")
        func ids(_ query: String, me: String = "alice") throws -> [Int64] {
            try fixture.store.groups(matching: QueryParser(registry: fixture.store.registry, me: me).parse(query), sort: .lastSeen, limit: nil, offset: 0)
                .map(\.id).sorted()
        }
        #expect(try ids("assigned:me") == [1])
        #expect(try ids("assigned:me", me: "bob") == [2])
        #expect(try ids("assigned:alice,bob") == [1, 2])
        #expect(try ids("is:assigned") == [1, 2])
        #expect(try ids("is:unassigned") == [3])
        #expect(try ids("!assigned:me") == [2, 3], "a negation also finds groups nobody has")
        #expect(try fixture.store.assignees(limit: 10).sorted() == ["alice", "bob"])
    }

    @Test(arguments: StoreBackend.all)
    func test_aNoteIsKeptTrimmedWithItsAuthorAndTime(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        let store = fixture.store
        #expect(throws: TeamInputError.emptyNote) { try store.addNote("   ", to: 1, author: "alice") }
        #expect(throws: StoreError.groupNotFound("99")) { try store.addNote("hello", to: 99, author: "alice") }
        fixture.clock.advance(by: 30)
        let note = try store.addNote("  restarted the poller\nwatching it  ", to: 1, author: "alice")
        #expect(note == GroupNote(groupID: 1, at: Self.now + 30, author: "alice", text: "restarted the poller\nwatching it"))
        #expect(try store.details(of: 1).notes == [note])
        #expect(try store.details(of: 2).notes.isEmpty)
    }
}
