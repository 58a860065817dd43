import Testing
import TriageEngine
import TriageTestSupport

/// Issue-tracker links and the claims that keep two people from filing two tickets.
@Suite struct LinkContractTests {
    static let now = 1_790_000_000.0

    private func link(_ group: Int64, _ tracker: String, _ id: String, at time: Double = now) -> GroupLink {
        GroupLink(groupID: group, tracker: tracker, externalID: id, url: "https://t.example/\(id)", title: "Ticket \(id)",
                  linkedBy: "user:me", linkedAt: time)
    }

    private func claim(_ group: Int64, _ tracker: String, by actor: String = "user:me", at time: Double = now) -> GroupLink {
        GroupLink(groupID: group, tracker: tracker, externalID: "", url: nil, title: nil, linkedBy: actor, linkedAt: time)
    }

    private func fixture(_ backend: StoreBackend) throws -> any IssueStore {
        try backend.store(holding: [PayloadBuilder(id: 1, fingerprint: "a").json, PayloadBuilder(id: 2, fingerprint: "b").json], now: Self.now).store
    }

    @Test(arguments: StoreBackend.all)
    func test_aGroupHasOneLinkPerTrackerUntilUnlinked(_ backend: StoreBackend) throws {
        let store = try fixture(backend)
        try store.addLink(link(1, "github", "7"))
        try store.addLink(link(1, "desk", "D-1", at: Self.now + 1))
        #expect(try store.links(of: 1) == [link(1, "github", "7"), link(1, "desk", "D-1", at: Self.now + 1)], "oldest first")
        #expect(try store.links(of: 2).isEmpty)
        #expect(try store.details(of: 1).links.count == 2)
        #expect(throws: StoreError.alreadyLinked(groupID: 1, tracker: "github", externalID: "7")) {
            try store.addLink(link(1, "github", "8"))
        }
        #expect(try store.removeLink(groupID: 1, tracker: "github") == link(1, "github", "7"))
        #expect(throws: StoreError.notLinked(groupID: 1, tracker: "github")) { try store.removeLink(groupID: 1, tracker: "github") }
        try store.addLink(link(1, "github", "8", at: Self.now + 3))
        #expect(try store.links(of: 1).map(\.externalID) == ["D-1", "8"])
        #expect(throws: StoreError.groupNotFound("99")) { try store.addLink(link(99, "github", "1")) }
    }

    @Test(arguments: StoreBackend.all)
    func test_aClaimKeepsASecondFilerOutAndBecomesTheLink(_ backend: StoreBackend) throws {
        let store = try fixture(backend)
        let mine = claim(1, "github")
        try store.claimLink(mine)
        #expect(throws: StoreError.linkClaimed(groupID: 1, tracker: "github", by: "user:me", at: Self.now)) {
            try store.claimLink(claim(1, "github", by: "user:other", at: Self.now + 1))
        }
        try store.completeClaim(mine, with: link(1, "github", "42", at: Self.now + 2))
        #expect(try store.links(of: 1) == [link(1, "github", "42", at: Self.now + 2)])
        #expect(throws: StoreError.alreadyLinked(groupID: 1, tracker: "github", externalID: "42")) { try store.claimLink(claim(1, "github")) }
        #expect(throws: StoreError.groupNotFound("99")) { try store.claimLink(claim(99, "github")) }
    }

    @Test(arguments: StoreBackend.all)
    func test_aReleasedOrReplacedClaimIsLost(_ backend: StoreBackend) throws {
        let store = try fixture(backend)
        let released = claim(1, "github")
        try store.claimLink(released)
        try store.releaseClaim(released)
        #expect(try store.links(of: 1).isEmpty, "released: no ticket was filed")
        #expect(throws: StoreError.claimLost(groupID: 1, tracker: "github", externalID: "42")) {
            try store.completeClaim(released, with: link(1, "github", "42"))
        }

        let replaced = claim(2, "github")
        try store.claimLink(replaced)
        try store.addLink(link(2, "github", "9"))
        #expect(try store.links(of: 2).map(\.externalID) == ["9"], "naming the ticket settles a claim")
        #expect(throws: StoreError.claimLost(groupID: 2, tracker: "github", externalID: "43")) {
            try store.completeClaim(replaced, with: link(2, "github", "43"))
        }
        #expect(try store.links(of: 2).map(\.externalID) == ["9"])
    }
}
