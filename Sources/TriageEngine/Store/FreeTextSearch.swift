import GRDB

/// How a free-text needle is looked for: through the trigram index (`groups_search`, schema v7)
/// when it matches few groups, by scanning in list order when it matches many. Needles of one or
/// two characters are looked up in the short-gram index (`ShortGramIndex`, schema v13) instead.
///
/// Neither way is good for both. The index finds the 12 groups holding "timeout" among a million in
/// a millisecond, where a scan reads them all (~300 ms); but for "err", held by one group in five,
/// fetching every candidate to sort them costs ~500 ms, while a scan in list order fills a page after
/// ~200 rows. A capped count of the index's candidates tells the two apart for about a millisecond.
enum FreeTextSearch {
    /// Needles with at least this many candidates are searched by scanning.
    static let sparseLimit = 5_000

    /// How an indexed needle is found.
    enum Plan: Equatable, Sendable {
        /// The trigram index's candidates for this match expression, each confirmed by `instr`.
        case trigrams(String)
        /// The groups posted under this gram of one or two characters (`ShortGramIndex.gram`), exactly.
        case postings(Int64)
        /// No group holds the gram.
        case nothing
    }

    /// The positive needles of `query` to look up through an index, with how; the rest are scanned.
    static func indexedNeedles(in query: GroupQuery, _ db: Database, sparseLimit: Int = sparseLimit) throws -> [String: Plan] {
        var indexed: [String: Plan] = [:]
        for term in query.terms where !term.negated {
            guard case let .text(needle) = term.filter else { continue }
            if let gram = ShortGramIndex.gram(of: needle) {
                let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT posted FROM groups_grams WHERE gram = ?"), arguments: [gram])
                if let row {
                    if row["posted"] as Bool { indexed[needle] = .postings(gram) }
                } else {
                    indexed[needle] = .nothing
                }
                continue
            }
            guard let match = matchExpression(for: needle) else { continue }
            let candidates = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT rowid FROM groups_search WHERE groups_search MATCH ? LIMIT \(sparseLimit))
                """, arguments: [match]) ?? 0
            if candidates < sparseLimit { indexed[needle] = .trigrams(match) }
        }
        return indexed
    }

    /// Whether a positive needle of `query` is looked for by scanning: past the first page of its
    /// matches, counting them may read the whole table.
    static func scans(_ query: GroupQuery, _ db: Database) throws -> Bool {
        let indexed = try indexedNeedles(in: query, db)
        return query.terms.contains { term in
            guard !term.negated, case let .text(needle) = term.filter else { return false }
            return !needle.isEmpty && indexed[needle] == nil
        }
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
