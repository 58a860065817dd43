import Testing
import TriageEngine

/// Every short id the formatter makes, the parser reads back: `:jump`, `id:` and `show` all parse
/// with it, so a group of a negative project (`P-1-H`) is reachable everywhere.
@Suite struct ShortIDTests {
    @Test func test_everyFormattedShortIDParsesBack() {
        for project in [Int64.min, -1, 0, 1, 35, Int64.max] {
            for id in [Int64(1), 17, 35, 36, Int64.max] {
                let text = ShortID.format(projectID: project, groupID: id)
                for typed in [text, text.lowercased()] {
                    let parsed = ShortID.parse(typed)
                    #expect(parsed?.groupID == id && parsed?.projectID == project, "\(typed) read as \(String(describing: parsed))")
                }
            }
        }
        #expect(ShortID.format(projectID: -1, groupID: 17) == "P-1-H")
        #expect(ShortID.parse("42")?.groupID == 42)
        for bad in ["P-H", "P1-", "P--1", "P1-0", "PX-1", "-1", "0", "P"] {
            #expect(ShortID.parse(bad) == nil, "\(bad)")
        }
    }
}
