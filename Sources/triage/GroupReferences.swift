import TriageEngine

extension IssueStore {
    /// The groups the command line names, each once in the order first named: `P1-5 p1-5 5` is one
    /// group, which a command acts on once.
    func groups(named references: [String]) throws -> [Group] {
        var seen = Set<Int64>()
        return try references.map { try group($0) }.filter { seen.insert($0.id).inserted }
    }
}
