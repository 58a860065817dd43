import GRDB

/// A field of a group that people set by hand, whose every change history keeps (who, when, from
/// what, to what) in a table of its own: `group_assignments`, `group_priorities`.
public protocol RecordedField: Sendable {
    associatedtype Value: DatabaseValueConvertible & Equatable & Sendable
    static var table: String { get }
    /// The columns holding the value before and after the change.
    static var fromColumn: String { get }
    static var toColumn: String { get }
}

/// One change of a `RecordedField` on a group; nil is the field's "unset" (nobody, automatic).
public struct FieldChange<Field: RecordedField>: Sendable, Equatable, FetchableRecord {
    public let groupID: Int64
    public let at: Double
    public let actor: String
    public let from: Field.Value?
    public let to: Field.Value?

    public init(groupID: Int64, at: Double, actor: String, from: Field.Value?, to: Field.Value?) {
        self.groupID = groupID
        self.at = at
        self.actor = actor
        self.from = from
        self.to = to
    }

    /// Total over damaged rows, like `Group.init(row:)`.
    public init(row: Row) {
        self.init(groupID: row.lenient("group_id") ?? 0, at: row.lenient("at") ?? 0, actor: row.lenient("actor") ?? "",
                  from: row.lenient(Field.fromColumn), to: row.lenient(Field.toColumn))
    }

    /// False when the group already had this value: nothing was recorded.
    public var changed: Bool { from != to }

    /// The group's changes of this field, oldest first.
    static func all(_ db: Database, groupID: Int64) throws -> [Self] {
        try fetchAll(db, sql: "SELECT * FROM \(Field.table) WHERE group_id = ? ORDER BY id", arguments: [groupID])
    }

    func insert(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO \(Field.table) (group_id, at, actor, \(Field.fromColumn), \(Field.toColumn)) VALUES (?, ?, ?, ?, ?)",
                       arguments: [groupID, at, actor, from, to])
    }
}
