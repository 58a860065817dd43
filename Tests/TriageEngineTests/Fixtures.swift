import GRDB
@testable import TriageEngine
import TriageTestSupport

extension Workspace {
    /// The integer an SQL query of the store answers (-1 for no row): for what only SQLite shows.
    func count(_ sql: String) throws -> Int {
        try store.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }
}
