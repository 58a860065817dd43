import GRDB

/// How a free-text needle is looked for: through the trigram index (`groups_search`, schema v7)
/// when it matches few groups, by scanning in list order when it matches many.
///
/// Neither way is good for both. The index finds the 12 groups holding "timeout" among a million in
/// a millisecond, where a scan reads them all (~300 ms); but for "err", held by one group in five,
/// fetching every candidate to sort them costs ~500 ms, while a scan in list order fills a page after
/// ~200 rows. A capped count of the index's candidates tells the two apart for about a millisecond.
enum FreeTextSearch {
    /// Needles with at least this many candidates are searched by scanning.
    static let sparseLimit = 5_000

    /// The positive needles of `query` to look up through the index, with their match expressions.
    static func indexedNeedles(in query: GroupQuery, _ db: Database, sparseLimit: Int = sparseLimit) throws -> [String: String] {
        var indexed: [String: String] = [:]
        for term in query.terms where !term.negated {
            guard case let .text(needle) = term.filter, let match = matchExpression(for: needle) else { continue }
            let candidates = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT rowid FROM groups_search WHERE groups_search MATCH ? LIMIT \(sparseLimit))
                """, arguments: [match]) ?? 0
            if candidates < sparseLimit { indexed[needle] = match }
        }
        return indexed
    }

    /// Every trigram of the needle, each quoted (FTS5 syntax), which the index ANDs together; nil for
    /// needles under three characters, which have no trigram. The index was built with detail=none,
    /// so it cannot check that the trigrams are adjacent: `instr` confirms each candidate.
    static func matchExpression(for needle: String) -> String? {
        let characters = Array(needle.unicodeScalars)
        guard characters.count >= 3 else { return nil }
        var seen = Set<String>()
        var terms: [String] = []
        for start in 0...(characters.count - 3) {
            var trigram = String.UnicodeScalarView()
            trigram.append(contentsOf: characters[start..<start + 3])
            let text = String(trigram)
            if seen.insert(text).inserted { terms.append("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"") }
        }
        return terms.joined(separator: " ")
    }
}
