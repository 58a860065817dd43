import GRDB

/// Keeps the trigram index (`groups_search`) in step with `groups.search_text`. Groups whose text
/// changed are noted in `groups_search_pending` (removed ones by a trigger, new and retitled ones by
/// their writers: a trigger on the hot path made SQLite journal each statement); `sync` applies them,
/// and every transaction that writes groups calls it before committing, so readers never see the
/// index behind the table. The short-gram counts (`ShortGramIndex`) follow the same notes.
enum FreeTextIndex {
    /// Notes a new group (`?1`), whose text the index does not have yet.
    static let noteNew = "INSERT INTO groups_search_pending (id, indexed_text) VALUES (?1, NULL) ON CONFLICT (id) DO NOTHING"

    static func sync(_ db: Database, gramPostingLimit: Int = ShortGramIndex.postingLimit) throws {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM groups_search_pending)")) == true else { return }
        // Read once, walked twice by the gram index (counts, then postings); a transaction's worth.
        var changes: [ShortGramIndex.Change] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT p.id, p.indexed_text, g.search_text FROM groups_search_pending p LEFT JOIN groups g ON g.id = p.id
            """))
        while let row = try rows.next() { changes.append(ShortGramIndex.Change(id: row[0], old: row[1], new: row[2])) }
        try ShortGramIndex.apply(db, postingLimit: gramPostingLimit) { each in
            for change in changes { try each(change) }
        }
        try db.cachedStatement(sql: """
            INSERT INTO groups_search (groups_search, rowid, search_text)
            SELECT 'delete', id, indexed_text FROM groups_search_pending WHERE indexed_text IS NOT NULL
            """).execute()
        try db.cachedStatement(sql: """
            INSERT INTO groups_search (rowid, search_text)
            SELECT p.id, g.search_text FROM groups_search_pending p JOIN groups g ON g.id = p.id
            """).execute()
        try db.cachedStatement(sql: "DELETE FROM groups_search_pending").execute()
    }
}
