import Testing
import TriageEngine
import TriageTestSupport

/// User actions on status and priority, their refusals, undo, and the notifications ingest records.
@Suite struct StatusContractTests {
    static let now = 1_790_000_000.0
    static let ignoredUntilCount = GroupState(status: .ignored, substatus: .untilConditionMet)!

    /// An error group (1) and an uptime group (2), which has no escalation detection.
    private func fixture(_ backend: StoreBackend) throws -> any StoreUnderContract {
        try backend.store(holding: [PayloadBuilder(id: 1, fingerprint: "e", type: 1).json,
                                    PayloadBuilder(id: 2, fingerprint: "u", type: 7001).json], now: Self.now)
    }

    @Test(arguments: StoreBackend.all)
    func test_anActionAppliesToAllGroupsOrNone(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        let store = fixture.store
        #expect(throws: StoreError.illegalTransition(group: "P1-2", from: .new, to: "ignore until escalating",
                                                     reason: "type uptime_domain_failure has no escalation detection")) {
            try store.apply(.ignore(.untilEscalating), to: [1, 2], actor: nil)
        }
        #expect(try fixture.groups().allSatisfy { $0.state == .new }, "the legal half was rolled back too")
        #expect(throws: StoreError.groupNotFound("99")) { try store.apply(.resolve, to: [1, 99], actor: nil) }
        #expect(try store.group("1").state == .new)

        let results = try store.apply(.ignore(.untilCondition(IgnoreCondition(count: 10, countWindow: 3600))), to: [1], actor: "user:me")
        #expect(results == [TransitionResult(groupID: 1, from: .new, to: Self.ignoredUntilCount)])
        let details = try store.details(of: 1)
        #expect(details.ignoreCondition == IgnoreCondition(count: 10, countWindow: 3600))
        let entry = try #require(details.history.last)
        #expect(entry.from == .new && entry.to == Self.ignoredUntilCount && entry.cause == "user" && entry.actor == "user:me")
        _ = try store.apply(.reopen, to: [1], actor: nil)
        #expect(try store.details(of: 1).ignoreCondition == nil, "reopening clears the condition")
    }

    @Test(arguments: StoreBackend.all)
    func test_anActionOnAGroupAlreadyThereChangesNothing(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        _ = try fixture.store.apply(.resolve, to: [1], actor: nil)
        let history = try fixture.store.details(of: 1).history.count
        #expect(try fixture.store.apply(.resolve, to: [1], actor: nil) == [TransitionResult(groupID: 1, from: .resolved, to: nil)])
        #expect(try fixture.store.details(of: 1).history.count == history, "no history entry for no change")
    }

    @Test(arguments: StoreBackend.all)
    func test_undoRestoresWhatTheChangeLeftAndRefusesWhatChangedSince(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        let store = fixture.store
        let condition = IgnoreCondition(count: 10, countWindow: 3600)
        _ = try store.apply(.ignore(.untilCondition(condition)), to: [1], actor: nil)
        let resolved = try store.apply(.resolve, to: [1, 2], actor: "user:me")
        #expect(resolved.map(\.previousIgnoreCondition) == [condition, nil], "the result keeps what undo needs")
        #expect(try store.details(of: 1).ignoreCondition == nil)
        _ = try store.apply(.reopen, to: [2], actor: nil)

        let undone = try store.revert(resolved, actor: "user:me")
        #expect(undone.reverted == [TransitionResult(groupID: 1, from: .resolved, to: Self.ignoredUntilCount)])
        #expect(undone.changedSince == [2], "group 2 was reopened meanwhile: left alone")
        let details = try store.details(of: 1)
        #expect(details.group.state == Self.ignoredUntilCount)
        #expect(details.ignoreCondition == condition, "the ignore condition comes back too")
        #expect(details.history.last?.cause == "undo")
        #expect(try store.group("2").state == .ongoing)
    }

    @Test(arguments: StoreBackend.all)
    func test_priorityFollowsTheNewestOccurrenceNamingOneUntilSetByHand(_ backend: StoreBackend) throws {
        let fixture = try backend.store(holding: [PayloadBuilder(id: 1).with("initial_issue_priority", "25").json], now: Self.now)
        let store = fixture.store
        #expect(try store.group("1").priority == 25)
        try fixture.ingest([PayloadBuilder(id: 2, time: Self.now + 100).with("initial_issue_priority", "75").json])
        #expect(try store.group("1").priority == 75, "the newer occurrence's priority")
        try fixture.ingest([PayloadBuilder(id: 3, time: Self.now + 50).json])
        #expect(try store.group("1").priority == 75, "an older occurrence does not change it")
        try fixture.ingest([PayloadBuilder(id: 6, time: Self.now + 150).json])
        #expect(try store.group("1").priority == 75, "a newer occurrence naming no priority leaves it (it used to fall to the type's default)")

        try store.setPriority(50, of: [1], actor: "alice")
        try fixture.ingest([PayloadBuilder(id: 4, time: Self.now + 200).with("initial_issue_priority", "75").json])
        let locked = try store.group("1")
        #expect(locked.priority == 50 && locked.priorityLocked, "set by hand: locked")
        #expect(try fixture.groups("priority:medium").count == 1)

        try store.setPriority(nil, of: [1], actor: "alice")
        try fixture.ingest([PayloadBuilder(id: 5, time: Self.now + 300).with("initial_issue_priority", "25").json])
        #expect(try store.group("1").priority == 25, "unlocked: occurrences set it again")
        #expect(throws: StoreError.groupNotFound("99")) { try store.setPriority(75, of: [1, 99], actor: "alice") }
        #expect(try store.group("1").priority == 25, "all or nothing")
    }

    @Test(arguments: StoreBackend.all)
    func test_aPriorityChangeIsRecordedInHistoryWithItsActorAndTime(_ backend: StoreBackend) throws {
        let fixture = try backend.store(holding: [PayloadBuilder(id: 1).json, PayloadBuilder(id: 2, fingerprint: "other").json], now: Self.now)
        let store = fixture.store
        fixture.clock.advance(by: 60)
        let changes = try store.setPriority(75, of: [1, 2], actor: "alice")
        #expect(changes.map(\.changed) == [true, true])
        fixture.clock.advance(by: 60)
        #expect(try store.setPriority(75, of: [1], actor: "bob").map(\.changed) == [false], "already high: nothing recorded")
        try store.setPriority(Priority.low, of: [1], actor: "bob")
        fixture.clock.advance(by: 60)
        try store.setPriority(nil, of: [1], actor: "carol")
        #expect(throws: StoreError.groupNotFound("99")) { try store.setPriority(50, of: [2, 99], actor: "dave") }

        let details = try store.details(of: 1)
        #expect(details.priorities == [PriorityChange(groupID: 1, at: Self.now + 60, actor: "alice", from: nil, to: 75),
                                       PriorityChange(groupID: 1, at: Self.now + 120, actor: "bob", from: 75, to: 25),
                                       PriorityChange(groupID: 1, at: Self.now + 180, actor: "carol", from: 25, to: nil)])
        #expect(details.priorities.map(\.summary) == ["priority auto → high", "priority high → low", "priority low → auto"])
        #expect(details.timeline.contains(.priority(details.priorities[0])))
        #expect(try store.details(of: 2).priorities.map(\.actor) == ["alice"], "the refused change recorded nothing")
        let json = GroupJSON.details(details, registry: store.registry)
        #expect(json.contains(#""priority_changes":[{"at":"#))
        #expect(json.contains(#""actor":"carol","from":"low","to":"auto"}]"#), "\(json)")
    }

    @Test(arguments: StoreBackend.all)
    func test_newGroupRegressionAndEscalationAreRecordedInTheOutbox(_ backend: StoreBackend) throws {
        let fixture = try backend.store(now: Self.now)
        let store = fixture.store
        #expect(try store.latestNotificationID() == 0)
        #expect(try store.notifications(after: 0, limit: 10).isEmpty)
        try fixture.ingest([PayloadBuilder(id: 1).json])
        _ = try store.apply(.resolve, to: [1], actor: nil)
        try fixture.ingest([PayloadBuilder(id: 2, time: Self.now + 10).json])
        _ = try store.apply(.ignore(.untilCondition(IgnoreCondition(count: 1))), to: [1], actor: nil)
        try fixture.ingest([PayloadBuilder(id: 3, time: Self.now + 20).json])

        let notifications = try store.notifications(after: 0, limit: 10)
        #expect(notifications.map(\.reason) == [.newGroup, .regression, .escalation])
        #expect(notifications.allSatisfy { $0.groupID == 1 })
        #expect(notifications.last?.detail == "1 occurrences since ignored (limit 1)")
        #expect(notifications.map(\.id) == notifications.map(\.id).sorted(), "oldest first")
        #expect(try store.latestNotificationID() == notifications.last?.id)
        #expect(try store.notifications(after: notifications[0].id, limit: 10).map(\.reason) == [.regression, .escalation])
        #expect(try store.notifications(after: 0, limit: 1).map(\.reason) == [.newGroup])
    }
}
