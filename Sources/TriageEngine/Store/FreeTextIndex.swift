import GRDB

/// Keeps the trigram index (`groups_search`) in step with `groups.search_text`. Groups whose text
/// changed are noted in `groups_search_pending` (removed ones by a trigger, retitled ones by their
/// writers: a trigger on the hot path made SQLite journal each statement; new ones by a note, or by
/// the ingest writer's list of them, `UnindexedGroups`); `sync` applies them,
/// and every transaction that writes groups calls it before committing, so readers never see the
/// index behind the table. The short-gram counts (`ShortGramIndex`) follow the same notes.
enum FreeTextIndex {
    /// Notes a new group (`?1`), whose text the index does not have yet.
    static let noteNew = "INSERT INTO groups_search_pending (id, indexed_text) VALUES (?1, NULL) ON CONFLICT (id) DO NOTHING"

    /// `newGroups`: groups created since the last sync that the writer kept track of instead of
    /// noting each (`UnindexedGroups`); their texts are read from the table by their ids.
    static func sync(_ db: Database, newGroups: UnindexedGroups = UnindexedGroups(), gramPostingLimit: Int = ShortGramIndex.postingLimit) throws {
        var newGroups = newGroups
        if newGroups.range == nil {
            for id in newGroups.ids { try db.cachedStatement(sql: noteNew).execute(arguments: [id]) }
            newGroups = UnindexedGroups()
        }
        // An empty range (1...0 as bounds) when the writer created none.
        let (low, high) = newGroups.range.map { ($0.lowerBound, $0.upperBound) } ?? (1, 0)
        let pending = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM groups_search_pending)")) == true
        guard low <= high || pending else { return }
        // Read once, walked twice by the gram index (counts, then postings); a transaction's worth.
        // A new group's own pending note (a retitle or removal since it was created) is left out:
        // the index never had its text.
        var changes: [ShortGramIndex.Change] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT p.id, p.indexed_text, g.search_text FROM groups_search_pending p LEFT JOIN groups g ON g.id = p.id
            WHERE p.id NOT BETWEEN ?1 AND ?2
            UNION ALL
            SELECT id, NULL, search_text FROM groups WHERE id BETWEEN ?1 AND ?2
            """), arguments: [low, high])
        while let row = try rows.next() { changes.append(ShortGramIndex.Change(id: row[0], old: row[1], new: row[2])) }
        try ShortGramIndex.apply(db, postingLimit: gramPostingLimit) { each in
            for change in changes { try each(change) }
        }
        try db.cachedStatement(sql: """
            INSERT INTO groups_search (groups_search, rowid, search_text)
            SELECT 'delete', id, indexed_text FROM groups_search_pending WHERE indexed_text IS NOT NULL AND id NOT BETWEEN ?1 AND ?2
            """).execute(arguments: [low, high])
        // One statement: each statement writing an FTS5 table flushes its pending terms.
        try db.cachedStatement(sql: """
            INSERT INTO groups_search (rowid, search_text)
            SELECT p.id, g.search_text FROM groups_search_pending p JOIN groups g ON g.id = p.id WHERE p.id NOT BETWEEN ?1 AND ?2
            UNION ALL
            SELECT id, search_text FROM groups WHERE id BETWEEN ?1 AND ?2
            """).execute(arguments: [low, high])
        try db.cachedStatement(sql: "DELETE FROM groups_search_pending").execute()
    }
}

/// The groups a writer created since the search indexes last caught up. Noting each in
/// `groups_search_pending` cost an insert, a read and a delete per new group; SQLite gives new
/// groups consecutive ids (one past the largest), so one range read finds their texts instead.
struct UnindexedGroups {
    private(set) var ids: [Int64] = []
    /// False if an id was not one past the previous: then `sync` notes each one as before.
    private var consecutive = true

    mutating func add(_ id: Int64) {
        if let last = ids.last, id != last + 1 { consecutive = false }
        ids.append(id)
    }

    /// The ids as one range, when they form one.
    var range: ClosedRange<Int64>? {
        guard consecutive, let first = ids.first, let last = ids.last else { return nil }
        return first...last
    }

    func contains(_ id: Int64) -> Bool {
        if let range { return range.contains(id) }
        return ids.contains(id)
    }
}
