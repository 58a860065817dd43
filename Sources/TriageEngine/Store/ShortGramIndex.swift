import GRDB

/// How many groups hold each one- and two-character gram of `search_text` (`groups_grams`, schema
/// v13), and which groups, for grams fewer than `postingLimit` hold (`groups_gram_postings`). Grams
/// are keyed by integer (`GramScanner`'s code), which binds without building a string. A
/// needle too short for the trigram index is answered from it: an absent gram matches nothing, a
/// rare one names its groups, and a common one fills a page within a few hundred rows of a scan.
///
/// A gram reaching the limit loses its postings for good (`posted` 0) and stays scanned even if
/// groups later drop it, so postings never need rebuilding from the table.
enum ShortGramIndex {
    /// Grams held by this many groups keep no postings: a scan in list order finds a page of them
    /// within ~70,000 rows of a million. Each gram that grows past it once wrote this many postings
    /// and deleted them, so a larger limit costs a young store's ingest.
    static let postingLimit = 1_000

    /// One change to a group's text: `old` is what the index has (nil: nothing), `new` what the
    /// group says now (nil: the group is gone).
    struct Change {
        let id: Int64
        let old: String?
        let new: String?
    }

    /// The key of a needle of one or two characters in the index (`GramScanner`'s code); nil for
    /// other lengths.
    static func gram(of needle: String) -> Int64? {
        let scalars = Array(needle.unicodeScalars)
        switch scalars.count {
        case 1: return Int64(UInt64(scalars[0].value) << 22)
        case 2: return Int64(UInt64(scalars[0].value) << 22 | UInt64(scalars[1].value + 1))
        default: return nil
        }
    }

    /// Applies `changes` in a statement per distinct gram, then one per posting that changes,
    /// written gram by gram so that each gram's postings are appended together. `changes` is
    /// iterated twice (counts first, then postings), so a migration can stream them.
    static func apply(_ db: Database, postingLimit: Int = postingLimit, changes: (_ each: (Change) throws -> Void) throws -> Void) throws {
        var scanner = GramScanner()
        var deltas = GramTable<Int>(empty: 0)
        var old: [UInt64] = []
        var new: [UInt64] = []
        try changes { change in
            scanner.diff(change, old: &old, new: &new)
            for gram in old { deltas[gram] -= 1 }
            for gram in new { deltas[gram] += 1 }
        }
        // Which grams keep postings after the batch, and which had them before it.
        var postedAfter = GramTable<Bool>(empty: false)
        var postedBefore = GramTable<Bool>(empty: false)
        let read = try RawStatement(db, "SELECT groups, posted FROM groups_grams WHERE gram = ?1")
        let write = try RawStatement(db, "INSERT OR REPLACE INTO groups_grams (gram, groups, posted) VALUES (?1, ?2, ?3)")
        let remove = try RawStatement(db, "DELETE FROM groups_grams WHERE gram = ?1")
        let dropPostings = try RawStatement(db, "DELETE FROM groups_gram_postings WHERE gram = ?1")
        // Every gram the batch touched, even one whose count did not move (one group took it as
        // another left it): its postings change all the same.
        var anyPosted = false
        for (gram, delta) in deltas.entries {
            let key = Int64(gram)
            read.bind(1, key)
            let row = try read.queryFirst { (groups: $0.int64(0), posted: $0.int64(1) != 0) }
            let wasPosted = row?.posted ?? true
            let after = Int(row?.groups ?? 0) + delta
            let posted = wasPosted && after < postingLimit
            postedBefore[gram] = wasPosted
            postedAfter[gram] = posted
            anyPosted = anyPosted || posted
            if after <= 0 {
                remove.bind(1, key)
                try remove.execute()
            } else if delta != 0 || row == nil {
                write.bind(1, key)
                write.bind(2, after)
                write.bind(3, posted ? 1 : 0)
                try write.execute()
            }
            if wasPosted, !posted || after <= 0 {
                dropPostings.bind(1, key)
                try dropPostings.execute()
            }
        }
        // In a large store most batches touch only common grams: no second pass over their texts.
        guard anyPosted else { return }
        var added = GramTable<[Int64]>(empty: [])
        var removed = GramTable<[Int64]>(empty: [])
        try changes { change in
            scanner.diff(change, old: &old, new: &new)
            // A gram that lost its postings in this batch has none left to delete.
            for gram in old where postedBefore[gram] && postedAfter[gram] { removed[gram].append(change.id) }
            for gram in new where postedAfter[gram] { added[gram].append(change.id) }
        }
        try execute("DELETE FROM groups_gram_postings WHERE gram = ?1 AND group_id = ?2", for: removed, db)
        try execute("INSERT OR IGNORE INTO groups_gram_postings (gram, group_id) VALUES (?1, ?2)", for: added, db)
    }

    /// Runs `sql` once per posting in `postings`, with the gram as ?1 and the group's id as ?2.
    private static func execute(_ sql: String, for postings: GramTable<[Int64]>, _ db: Database) throws {
        let statement = try RawStatement(db, sql)
        for (gram, ids) in postings.entries {
            for id in ids {
                statement.bind(1, Int64(gram))
                statement.bind(2, id)
                try statement.execute()
            }
        }
    }

    /// Builds the index from every group as the trigram index has it (the v13 migration): a group
    /// noted as pending counts with its indexed text, which the next sync moves on from.
    static func build(_ db: Database) throws {
        try apply(db) { each in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT g.id, CASE WHEN p.id IS NULL THEN g.search_text ELSE p.indexed_text END AS search_text
                FROM groups g LEFT JOIN groups_search_pending p ON p.id = g.id
                """)
            while let row = try rows.next() { try each(Change(id: row["id"], old: nil, new: row["search_text"])) }
        }
    }
}

/// The distinct grams of a text, as codes: the first scalar shifted left 22 bits, plus the second
/// scalar + 1 (0 for a one-character gram). ASCII grams are told apart without hashing.
struct GramScanner {
    /// ASCII grams: first scalar × 129 + (second + 1, or 0).
    static let asciiSlots = 128 * 129
    private var stamps = [UInt32](repeating: 0, count: asciiSlots)
    private var stamp: UInt32 = 0
    private var others = Set<UInt64>()

    static func slot(of code: UInt64) -> Int? {
        let first = code >> 22, second = code & 0x3F_FFFF
        return first < 128 && second <= 128 ? Int(first) * 129 + Int(second) : nil
    }

    /// The grams `change` takes away (`old`) and brings (`new`).
    mutating func diff(_ change: ShortGramIndex.Change, old: inout [UInt64], new: inout [UInt64]) {
        old.removeAll(keepingCapacity: true)
        new.removeAll(keepingCapacity: true)
        if let text = change.old { grams(of: text, into: &old) }
        if let text = change.new { grams(of: text, into: &new) }
        // A retitle keeps most grams: only the difference changes counts and postings.
        guard !old.isEmpty, !new.isEmpty else { return }
        let kept = Set(old).intersection(new)
        old.removeAll(where: kept.contains)
        new.removeAll(where: kept.contains)
    }

    mutating func grams(of text: String, into grams: inout [UInt64]) {
        stamp &+= 1
        if stamp == 0 {
            stamps = [UInt32](repeating: 0, count: Self.asciiSlots)
            stamp = 1
        }
        others.removeAll(keepingCapacity: true)
        var previous: UInt64?
        for scalar in text.unicodeScalars {
            let value = UInt64(scalar.value)
            add(value << 22, into: &grams)
            if let previous { add(previous << 22 | (value + 1), into: &grams) }
            previous = value
        }
    }

    private mutating func add(_ code: UInt64, into grams: inout [UInt64]) {
        if let slot = Self.slot(of: code) {
            guard stamps[slot] != stamp else { return }
            stamps[slot] = stamp
            grams.append(code)
        } else if others.insert(code).inserted {
            grams.append(code)
        }
    }
}

/// A value per gram code: an array for ASCII grams, a dictionary for the rest.
struct GramTable<Value> {
    private var ascii: [Value]
    private var touched: [Bool]
    private var others: [UInt64: Value] = [:]
    private let empty: Value

    init(empty: Value) {
        self.empty = empty
        ascii = [Value](repeating: empty, count: GramScanner.asciiSlots)
        touched = [Bool](repeating: false, count: GramScanner.asciiSlots)
    }

    subscript(code: UInt64) -> Value {
        get {
            if let slot = GramScanner.slot(of: code) { return ascii[slot] }
            return others[code] ?? empty
        }
        // In place, so appending to a gram's list does not copy it.
        _modify {
            if let slot = GramScanner.slot(of: code) {
                touched[slot] = true
                yield &ascii[slot]
            } else {
                let empty = self.empty
                yield &others[code, default: empty]
            }
        }
    }

    /// Every gram that was set, with its value; ASCII grams in code order.
    var entries: [(UInt64, Value)] {
        var entries: [(UInt64, Value)] = []
        for slot in 0..<GramScanner.asciiSlots where touched[slot] {
            entries.append((UInt64(slot / 129) << 22 | UInt64(slot % 129), ascii[slot]))
        }
        return entries + others.map { ($0.key, $0.value) }
    }
}
