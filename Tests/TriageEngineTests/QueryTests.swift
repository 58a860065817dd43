import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct QueryParserTests {
    let parser = QueryParser(registry: .builtIn)

    private func terms(_ query: String) throws -> [QueryTerm] { try parser.parse(query).terms }

    private func failure(_ query: String) -> QueryError? {
        do {
            _ = try parser.parse(query)
            return nil
        } catch { return error }
    }

    @Test func test_parsesEveryKey() throws {
        #expect(try terms("is:unresolved").first?.filter == .status(.unresolved))
        #expect(try terms("is:archived").first?.filter == .status(.ignored))
        #expect(try terms("is:muted").first?.filter == .status(.ignored))
        #expect(try terms("issue.type:error,feedback").first?.filter == .types([1, 6001]))
        #expect(try terms("type:monitor_check_in_failure").first?.filter == .types([4001]))
        #expect(try terms("issue.category:performance").first?.filter == .categories([2]))
        #expect(try terms("level:error,fatal").first?.filter == .levels([.error, .fatal]))
        #expect(try terms("project:3").first?.filter == .projects([3]))
        #expect(try terms("priority:high").first?.filter == .priorities([.high]))
        #expect(try terms("times_seen:>10").first?.filter == .timesSeen(.greater, 10))
        #expect(try terms("times_seen:<=2").first?.filter == .timesSeen(.lessOrEqual, 2))
        #expect(try terms("last_seen:-1h").first?.filter == .lastSeen(.within(3600)))
        #expect(try terms("last_seen:+2d").first?.filter == .lastSeen(.olderThan(172_800)))
        #expect(try terms("has:important").first?.filter == .hasImportantEvidence)
    }

    @Test func test_negationAndFreeText() throws {
        let parsed = try terms(#"!issue.type:error TypeError "cannot read" "!bang""#)
        #expect(parsed == [
            QueryTerm(negated: true, filter: .types([1])),
            QueryTerm(negated: false, filter: .text("typeerror")),
            QueryTerm(negated: false, filter: .text("cannot read")),
            QueryTerm(negated: false, filter: .text("!bang")),
        ])
        // `!` before a word was the text "!bang", which matched nothing and said nothing.
        #expect(failure("level:error !bang") ==
            QueryError(message: "! leaves out a key's values (!type:error, !level:info), not a word; to search for !bang itself, quote it", column: 13))
        #expect(try terms(#""has:colon""#) == [QueryTerm(negated: false, filter: .text("has:colon"))])
        #expect(try terms("   ").isEmpty)
    }

    @Test func test_badTermsNameTheTermAndColumn() {
        #expect(failure("is:unresolved bogus:1") ==
            QueryError(message: "unknown key \"bogus\"; put the word in quotes to search for it as text", column: 15))
        #expect(failure("type:nope") == QueryError(message: "type: unknown type (see `triage types`) \"nope\"", column: 6))
        #expect(failure("level:") == QueryError(message: "level: needs a value", column: 7))
        #expect(failure("level:loud")?.column == 7)
        #expect(failure("is:gone")?.message.hasPrefix("is: unknown status \"gone\"") == true)
        #expect(failure("times_seen:many")?.message == "times_seen: expected a count such as >10, <5 or 3")
        #expect(failure("last_seen:1h")?.message == "last_seen: expected -DURATION or +DURATION such as -1h, -30m, +7d")
        #expect(failure("has:everything")?.message == "has: only has:important is supported")
        #expect(failure(#"x "open"#) == QueryError(message: "unclosed quote", column: 3))
        #expect(failure("x !project:a")?.column == 12)
        #expect(failure("level:error,,fatal")?.column == 13, "the empty item, not the list's start")
        #expect(failure("Bogus:1")?.message.hasPrefix("unknown key \"Bogus\"") == true, "named as typed")
    }

    @Test func test_keysAndNamedValuesAreReadInAnyCase() throws {
        #expect(try parser.parse("LEVEL:Error Type:ERROR IS:Unresolved has:Important").terms.map(\.filter)
                == parser.parse("level:error type:error is:unresolved has:important").terms.map(\.filter))
    }

    @Test func test_durations() {
        #expect(DurationText.seconds("90s") == 90)
        #expect(DurationText.seconds("1h30m") == 5400)
        #expect(DurationText.seconds("2w") == 1_209_600)
        #expect(DurationText.seconds("5") == nil)
        #expect(DurationText.seconds("h") == nil)
        #expect(DurationText.seconds("0m") == nil)
    }
}

@Suite struct QuerySuggestionTests {
    @Test func test_abbreviationsAndSwappedLettersFindTheirWord() {
        let keys = ["is", "type", "level", "project", "priority", "assigned", "has", "times_seen", "last_seen"]
        #expect(QuerySuggestion.nearest("lvl", among: keys) == ["level"], "the docs' own typo")
        #expect(QuerySuggestion.nearest("levle", among: keys) == ["level"], "two letters swapped")
        #expect(QuerySuggestion.nearest("monitr", among: ["error", "monitor_check_in_failure", "uptime_domain_failure"]) == ["monitor_check_in_failure"])
        #expect(QuerySuggestion.nearest("xyz", among: keys).isEmpty, "nothing near: no guess")
        #expect(QuerySuggestion.nearest("ty", among: keys).first == "type", "a prefix still comes first")
    }
}
