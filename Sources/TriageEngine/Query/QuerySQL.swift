import GRDB

/// The order of a group listing; every order ends with the id so pages are stable.
public enum GroupSort: String, Sendable, CaseIterable {
    case lastSeen = "last_seen"
    case firstSeen = "first_seen"
    case events
    case priority
    /// Events this hour against the group's busiest hour of the past week, over the groups seen this
    /// hour (`SQLiteStore+Trends`); the others follow in last_seen order, which SQL gives here.
    case trend

    package var orderBy: String {
        switch self {
        case .lastSeen, .trend: return "last_seen DESC, id DESC"
        case .firstSeen: return "first_seen DESC, id DESC"
        case .events: return "times_seen DESC, id DESC"
        case .priority: return "priority DESC, last_seen DESC, id DESC"
        }
    }
}

extension GroupSort {
    /// A condition true for exactly the groups that `orderBy` puts before `group`.
    func precedes(_ group: Group) -> (sql: String, arguments: StatementArguments) {
        switch self {
        case .lastSeen, .trend: return ("last_seen > ? OR (last_seen = ? AND id > ?)", [group.lastSeen, group.lastSeen, group.id])
        case .firstSeen: return ("first_seen > ? OR (first_seen = ? AND id > ?)", [group.firstSeen, group.firstSeen, group.id])
        case .events: return ("times_seen > ? OR (times_seen = ? AND id > ?)", [group.timesSeen, group.timesSeen, group.id])
        case .priority:
            return ("priority > ? OR (priority = ? AND (last_seen > ? OR (last_seen = ? AND id > ?)))",
                    [group.priority, group.priority, group.lastSeen, group.lastSeen, group.id])
        }
    }
}

/// Translates a `GroupQuery` into a WHERE clause with bound arguments (never interpolated values),
/// for SQLite or, in team mode, PostgreSQL: one translation, so both stores mean the same by a query.
package struct QuerySQL {
    /// Where the two differ: free text (SQLite's trigram table and `instr`, PostgreSQL's pg_trgm
    /// index under `LIKE`) and the spelling of true and false.
    package enum Dialect: Sendable {
        case sqlite
        case postgres
    }

    let registry: GroupTypeRegistry
    let now: Double
    var flags = ReleaseFlags()
    /// Free-text needles to look up through an index, with how (`FreeTextSearch`); other needles
    /// are scanned.
    var indexedNeedles: [String: FreeTextSearch.Plan] = [:]
    var dialect = Dialect.sqlite

    package init(registry: GroupTypeRegistry, now: Double, flags: ReleaseFlags, dialect: Dialect) {
        self.registry = registry
        self.now = now
        self.flags = flags
        self.dialect = dialect
    }

    init(registry: GroupTypeRegistry, now: Double, flags: ReleaseFlags = ReleaseFlags(), indexedNeedles: [String: FreeTextSearch.Plan] = [:]) {
        self.registry = registry
        self.now = now
        self.flags = flags
        self.indexedNeedles = indexedNeedles
    }

    private var always: String { dialect == .sqlite ? "1" : "TRUE" }
    private var never: String { dialect == .sqlite ? "0" : "FALSE" }

    func whereClause(_ query: GroupQuery) -> (sql: String, arguments: StatementArguments) {
        let (sql, values) = clause(query)
        return (sql, StatementArguments(values))
    }

    /// The condition with `?` placeholders and their values in order.
    package func clause(_ query: GroupQuery) -> (sql: String, values: [DatabaseValue]) {
        var clauses: [String] = []
        // Unreleased types whose visible flag is off are not there, whatever the query says.
        for hidden in flags.hidden(registry) {
            let projects = (hidden.hiddenByDefault ? hidden.shownIn : hidden.hiddenIn).map(String.init).joined(separator: ",")
            if hidden.hiddenByDefault {
                clauses.append(projects.isEmpty ? "type_id != \(hidden.typeID)" : "(type_id != \(hidden.typeID) OR project_id IN (\(projects)))")
            } else {
                clauses.append("(type_id != \(hidden.typeID) OR project_id NOT IN (\(projects)))")
            }
        }
        var arguments: [DatabaseValue] = []
        for term in query.terms {
            let (sql, termArguments) = condition(term.filter)
            clauses.append(term.negated ? "NOT (\(sql))" : sql)
            arguments += termArguments
        }
        let hidden = hiddenTypes(query)
        if !hidden.isEmpty {
            clauses.append("type_id NOT IN (\(hidden.map(String.init).joined(separator: ",")))")
        }
        return (clauses.isEmpty ? always : clauses.joined(separator: " AND "), arguments)
    }

    /// The default stream hides types that are not in default search unless the query names them
    /// (by type or category). An empty query matches every group, as the CLI contract says.
    private func hiddenTypes(_ query: GroupQuery) -> [Int] {
        guard !query.terms.isEmpty else { return [] }
        var named = Set<Int>()
        for term in query.terms where !term.negated {
            switch term.filter {
            // Groups named by id are shown whatever their type.
            case .groups: return []
            case let .types(ids): named.formUnion(ids)
            case let .categories(categories):
                named.formUnion(registry.types.filter { categories.contains($0.categoryID) }.map(\.id))
            default: break
            }
        }
        return registry.types.filter { !$0.inDefaultSearch && !named.contains($0.id) }.map(\.id)
    }

    private func condition(_ filter: QueryFilter) -> (String, [DatabaseValue]) {
        switch filter {
        case let .status(match): return (statusCondition(match), [])
        case let .types(ids): return ("type_id IN (\(placeholders(ids.count)))", ids.map(\.databaseValue))
        case let .categories(categories):
            let ids = registry.types.filter { categories.contains($0.categoryID) }.map(\.id)
            return ids.isEmpty ? (never, []) : ("type_id IN (\(placeholders(ids.count)))", ids.map(\.databaseValue))
        case let .levels(levels): return ("level IN (\(placeholders(levels.count)))", levels.map(\.rawValue.databaseValue))
        case let .projects(ids): return ("project_id IN (\(placeholders(ids.count)))", ids.map(\.databaseValue))
        case let .priorities(bands):
            let ranges = bands.map { _ in "priority BETWEEN ? AND ?" }.joined(separator: " OR ")
            return ("(\(ranges))", bands.flatMap { [$0.range.lower.databaseValue, $0.range.upper.databaseValue] })
        case let .timesSeen(comparison, count): return ("times_seen \(comparison.rawValue) ?", [count.databaseValue])
        case let .lastSeen(.within(seconds)): return ("last_seen >= ?", [(now - seconds).databaseValue])
        case let .lastSeen(.olderThan(seconds)): return ("last_seen < ?", [(now - seconds).databaseValue])
        case .hasImportantEvidence: return ("important_name IS NOT NULL", [])
        case let .groups(references):
            let sql = references.map { $0.projectID == nil ? "id = ?" : "(id = ? AND project_id = ?)" }.joined(separator: " OR ")
            return ("(\(sql))", references.flatMap { [$0.groupID.databaseValue] + ($0.projectID.map { [$0.databaseValue] } ?? []) })
        // IS NOT NULL first, so `!assigned:alice` matches the groups nobody has (NOT of a NULL comparison is NULL).
        case let .assignees(names): return ("(assignee IS NOT NULL AND assignee IN (\(placeholders(names.count))))", names.map(\.databaseValue))
        case let .assigned(assigned): return (assigned ? "assignee IS NOT NULL" : "assignee IS NULL", [])
        case let .text(needle) where dialect == .postgres:
            // pg_trgm's GIN index answers LIKE '%needle%' (search_text is lower-cased, as every needle is).
            return ("search_text LIKE ?", [("%" + Self.likeEscaped(needle) + "%").databaseValue])
        case let .text(needle):
            switch indexedNeedles[needle] {
            case nil: return ("instr(search_text, ?) > 0", [needle.databaseValue])
            case .nothing: return (never, [])
            case let .postings(gram): return ("id IN (SELECT group_id FROM groups_gram_postings WHERE gram = ?)", [gram.databaseValue])
            case let .trigrams(match):
                return ("(id IN (SELECT rowid FROM groups_search WHERE groups_search MATCH ?) AND instr(search_text, ?) > 0)",
                        [match.databaseValue, needle.databaseValue])
            }
        }
    }

    /// A needle as a LIKE pattern's literal part: PostgreSQL's default escape character is `\`.
    static func likeEscaped(_ needle: String) -> String {
        var escaped = ""
        for character in needle {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private func statusCondition(_ match: StatusMatch) -> String {
        switch match {
        case .unresolved: return "status = \(GroupStatus.unresolved.rawValue)"
        case .resolved: return "status = \(GroupStatus.resolved.rawValue)"
        case .ignored: return "status = \(GroupStatus.ignored.rawValue)"
        case .new: return "substatus = \(GroupSubstatus.new.rawValue)"
        case .ongoing: return "substatus = \(GroupSubstatus.ongoing.rawValue)"
        case .regressed: return "substatus = \(GroupSubstatus.regressed.rawValue)"
        case .escalating: return "substatus = \(GroupSubstatus.escalating.rawValue)"
        }
    }

    private func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}
