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

    var orderBy: String {
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

/// Translates a `GroupQuery` into a WHERE clause with bound arguments (never interpolated values).
struct QuerySQL {
    let registry: GroupTypeRegistry
    let now: Double
    var flags = ReleaseFlags()
    /// Free-text needles to look up through an index, with how (`FreeTextSearch`); other needles
    /// are scanned.
    var indexedNeedles: [String: FreeTextSearch.Plan] = [:]

    func whereClause(_ query: GroupQuery) -> (sql: String, arguments: StatementArguments) {
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
        var arguments = StatementArguments()
        for term in query.terms {
            let (sql, termArguments) = condition(term.filter)
            clauses.append(term.negated ? "NOT (\(sql))" : sql)
            arguments += termArguments
        }
        let hidden = hiddenTypes(query)
        if !hidden.isEmpty {
            clauses.append("type_id NOT IN (\(hidden.map(String.init).joined(separator: ",")))")
        }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
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

    private func condition(_ filter: QueryFilter) -> (String, StatementArguments) {
        switch filter {
        case let .status(match): return (statusCondition(match), [])
        case let .types(ids): return ("type_id IN (\(placeholders(ids.count)))", StatementArguments(ids))
        case let .categories(categories):
            let ids = registry.types.filter { categories.contains($0.categoryID) }.map(\.id)
            return ids.isEmpty ? ("0", []) : ("type_id IN (\(placeholders(ids.count)))", StatementArguments(ids))
        case let .levels(levels): return ("level IN (\(placeholders(levels.count)))", StatementArguments(levels.map(\.rawValue)))
        case let .projects(ids): return ("project_id IN (\(placeholders(ids.count)))", StatementArguments(ids))
        case let .priorities(bands):
            let ranges = bands.map { _ in "priority BETWEEN ? AND ?" }.joined(separator: " OR ")
            return ("(\(ranges))", StatementArguments(bands.flatMap { [$0.range.lower, $0.range.upper] }))
        case let .timesSeen(comparison, count): return ("times_seen \(comparison.rawValue) ?", [count])
        case let .lastSeen(.within(seconds)): return ("last_seen >= ?", [now - seconds])
        case let .lastSeen(.olderThan(seconds)): return ("last_seen < ?", [now - seconds])
        case .hasImportantEvidence: return ("important_name IS NOT NULL", [])
        case let .groups(references):
            let sql = references.map { $0.projectID == nil ? "id = ?" : "(id = ? AND project_id = ?)" }.joined(separator: " OR ")
            return ("(\(sql))", StatementArguments(references.flatMap { [$0.groupID] + ($0.projectID.map { [$0] } ?? []) }))
        // IS NOT NULL first, so `!assigned:alice` matches the groups nobody has (NOT of a NULL comparison is NULL).
        case let .assignees(names): return ("(assignee IS NOT NULL AND assignee IN (\(placeholders(names.count))))", StatementArguments(names))
        case let .assigned(assigned): return (assigned ? "assignee IS NOT NULL" : "assignee IS NULL", [])
        case let .text(needle):
            switch indexedNeedles[needle] {
            case nil: return ("instr(search_text, ?) > 0", [needle])
            case .nothing: return ("0", [])
            case let .postings(gram): return ("id IN (SELECT group_id FROM groups_gram_postings WHERE gram = ?)", [gram])
            case let .trigrams(match):
                return ("(id IN (SELECT rowid FROM groups_search WHERE groups_search MATCH ?) AND instr(search_text, ?) > 0)", [match, needle])
            }
        }
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
