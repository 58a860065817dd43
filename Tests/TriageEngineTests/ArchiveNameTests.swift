import Testing
@testable import TriageEngine

@Suite struct ArchiveNameTests {
    @Test func test_namesThatFitAreKeptAndReusedOnesCounted() {
        #expect(ArchiveName.name(for: SpoolName("a.json"), attempt: 0, reserve: ArchiveName.failedReserve) == SpoolName("a.json"))
        #expect(ArchiveName.name(for: SpoolName("a.json"), attempt: 2, reserve: 0) == SpoolName("a.json.2"))
    }

    @Test func test_longNamesAreShortenedToFitDistinctAndBetweenCharacters() {
        let first = SpoolName(String(repeating: "é", count: 126) + "-1.jsonl")
        let second = SpoolName(String(repeating: "é", count: 126) + "-2.jsonl")
        for attempt in [0, 1, 12_345] {
            let shortened = ArchiveName.name(for: first, attempt: attempt, reserve: ArchiveName.failedReserve)
            #expect(ArchiveName.sidecar(of: shortened).bytes.count <= 255)
            #expect(!shortened.text.contains("\u{FFFD}"), "cut between characters")
            #expect(shortened.text.hasSuffix(attempt == 0 ? ".jsonl" : ".jsonl.\(attempt)"))
            #expect(shortened != ArchiveName.name(for: second, attempt: attempt, reserve: ArchiveName.failedReserve))
        }
    }
}
