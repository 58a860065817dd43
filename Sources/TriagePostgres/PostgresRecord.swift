import Foundation
import GRDB
import PostgresNIO

/// One result row as GRDB values, so the engine's lenient readers (`Row.lenient`, the records'
/// `init(row:)`) read the team store's rows as they read SQLite's.
public struct PostgresRecord: Sendable {
    public let columns: [String]
    public let values: [DatabaseValue]

    init(_ row: PostgresRow) throws {
        var columns: [String] = []
        var values: [DatabaseValue] = []
        for cell in row {
            columns.append(cell.columnName)
            values.append(try Self.value(cell))
        }
        self.columns = columns
        self.values = values
    }

    /// The schema uses bigint, double precision, boolean, text and bytea only (Docs/DECISIONS.md);
    /// anything else (a `numeric` aggregate) is read as text, which GRDB converts where it can.
    private static func value(_ cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return try cell.decode(Int64.self).databaseValue
        case .float4, .float8: return try cell.decode(Double.self).databaseValue
        case .bool: return (try cell.decode(Bool.self) ? 1 : 0).databaseValue
        case .bytea: return try cell.decode(Data.self).databaseValue
        case .text, .varchar, .name, .bpchar: return try cell.decode(String.self).databaseValue
        default:
            guard var buffer = cell.bytes, let text = buffer.readString(length: buffer.readableBytes) else { return .null }
            return (Int64(text)?.databaseValue ?? Double(text)?.databaseValue) ?? text.databaseValue
        }
    }

    public subscript(_ column: String) -> DatabaseValue {
        columns.firstIndex(of: column).map { values[$0] } ?? .null
    }

    /// The value converted, or nil when NULL or not convertible (never traps).
    public func get<Value: DatabaseValueConvertible>(_ column: String) -> Value? {
        Value.fromDatabaseValue(self[column])
    }

    /// As a GRDB row, for the engine's `init(row:)` readers that look columns up by name.
    public var row: Row {
        Row(Dictionary(zip(columns, values.map { $0 as (any DatabaseValueConvertible)? }), uniquingKeysWith: { first, _ in first }))
    }
}
