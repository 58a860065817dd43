import Testing
import TriageEngine
import TriageTestSupport

/// A group's details with its occurrences, and the occurrences held as noise.
@Suite struct DetailsContractTests {
    static let now = 1_790_000_000.0

    @Test(arguments: StoreBackend.all)
    func test_detailsGiveEachOccurrenceAsReceivedNewestFirst(_ backend: StoreBackend) throws {
        let older = PayloadBuilder(id: 1, fingerprint: "a", time: Self.now - 60, title: "Older")
        let newer = PayloadBuilder(id: 2, fingerprint: "a", time: Self.now - 10, title: "Newer")
        let fixture = try backend.store(holding: [older.json, newer.json], now: Self.now)
        let id = try fixture.store.group("1").id
        let newest = try fixture.store.details(of: id)
        #expect(newest.payload == newer.bytes, "the payload exactly as it was received")
        #expect(newest.occurrenceIndex == 0 && newest.occurrenceCount == 2)
        #expect(newest.group.title == "Newer")
        let before = try fixture.store.details(of: id, occurrence: 1)
        #expect(before.payload == older.bytes && before.occurrenceIndex == 1)
        let past = try fixture.store.details(of: id, occurrence: 9)
        #expect(past.payload == older.bytes && past.occurrenceIndex == 1, "clamped to the oldest")
        #expect(newest.history.map(\.to) == [.new], "the group's creation")
        #expect(newest.ignoreCondition == nil && newest.links.isEmpty)
        #expect(throws: StoreError.groupNotFound("99")) { try fixture.store.details(of: 99) }
    }

    @Test(arguments: StoreBackend.all)
    func test_occurrencesBelowTheNoiseLimitAreHeldByKeyUntilTheirGroupForms(_ backend: StoreBackend) throws {
        // N+1 Query (1006) forms a group at its third occurrence of a key within a day.
        let n1 = { (id: Int, offset: Double, title: String) in
            PayloadBuilder(id: id, fingerprint: "n1", type: 1006, time: Self.now + offset, title: title).json
        }
        let fixture = try backend.store(holding: [n1(1, -100, "N+1 first"), n1(2, -50, "N+1 second"),
                                                  PayloadBuilder(id: 3, fingerprint: "n2", type: 1006, time: Self.now - 10, title: "Other").json],
                                        now: Self.now)
        #expect(try fixture.store.countGroups(matching: .all) == 0, "no group yet")
        let held = try fixture.store.noiseHeld(limit: nil)
        #expect(held.map(\.fingerprint) == ["n2", "n1"], "newest first")
        let first = try #require(held.last)
        #expect(first.projectID == 1 && first.typeID == 1006)
        #expect(first.held == 2 && first.windowCount == 2)
        #expect(first.firstSeen == Self.now - 100 && first.lastSeen == Self.now - 50)
        #expect(first.title == "N+1 second", "named by the newest held occurrence")
        #expect(try fixture.store.noiseHeld(limit: 1).map(\.fingerprint) == ["n2"])

        try fixture.ingest([n1(4, -5, "N+1 third")])
        let formed = try #require(try fixture.groups().first)
        #expect(formed.fingerprint == "n1" && formed.timesSeen == 3, "the held occurrences are released into the group")
        #expect(try fixture.store.noiseHeld(limit: nil).map(\.fingerprint) == ["n2"])

        fixture.clock.advance(by: 2 * 86_400)
        let expired = try #require(try fixture.store.noiseHeld(limit: nil).first)
        #expect(expired.held == 1 && expired.windowCount == 0, "an expired window counts nothing toward the limit")
    }
}
