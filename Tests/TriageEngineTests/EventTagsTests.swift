import Testing
import TriageEngine
import TriageTestSupport

/// The event's tags, as `show` and the details view list them.
@Suite struct EventTagsTests {
    private func rows(_ builder: PayloadBuilder) throws -> [String] {
        let document = try JSONDocument(bytes: builder.bytes, maxDepth: 64)
        return EventTags.rows(of: document.root).map { "\($0.key)=\($0.value)" }
    }

    @Test func test_tagsAreListedInPayloadOrderWithNonStringsAsJSON() throws {
        #expect(try rows(PayloadBuilder().event(tags: #"{"region":"eu","retries":3,"flags":["a"],"zone":null}"#))
            == ["region=eu", "retries=3", #"flags=["a"]"#, "zone=null"])
        #expect(try rows(PayloadBuilder()).isEmpty, "no event")
        #expect(try rows(PayloadBuilder().event(tags: "[]")).isEmpty, "tags that are not an object")
    }
}
