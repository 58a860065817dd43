import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API on GRDB's connection.
///
/// Why: the ingest path executes several statements per occurrence; GRDB's `StatementArguments`
/// allocate per call, and binding directly is measurably faster. Everything
/// else in the store uses GRDB normally. Instances live only inside one `pool.write` closure.
final class RawStatement {
    private let connection: OpaquePointer
    private let handle: OpaquePointer

    /// Tells SQLite to copy bound buffers, which Swift may move after the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, _ sql: String) throws {
        connection = db.sqliteConnection!
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        handle = statement
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }
    func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else { return bindNull(index) }
        // An empty buffer may have no base address, which SQLite would read as NULL.
        if value.isEmpty { return _ = sqlite3_bind_text(handle, index, "", 0, Self.transient) }
        value.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) { text in
                sqlite3_bind_text(handle, index, text.baseAddress, Int32(text.count), Self.transient)
            }
        }
    }

    func bind(_ index: Int32, blob: [UInt8]) {
        if blob.isEmpty { return _ = sqlite3_bind_zeroblob(handle, index, 0) }
        blob.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }

    /// Binds bytes valid only for this call (SQLite copies them).
    func bind(_ index: Int32, blob bytes: UnsafeRawBufferPointer) {
        if bytes.isEmpty { return _ = sqlite3_bind_zeroblob(handle, index, 0) }
        sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
    }

    func bind(_ index: Int32, _ value: Int?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }

    func bind(_ index: Int32, _ value: Double?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }

    /// Runs the statement to completion; returns the number of rows it changed.
    @discardableResult
    func execute() throws -> Int {
        defer { sqlite3_reset(handle) }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else { throw currentError(code) }
        return Int(sqlite3_changes(connection))
    }

    /// Steps once and hands the first row (if any) to `read`, then resets.
    func queryFirst<T>(_ read: (RawStatement) -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return read(self)
        case SQLITE_DONE: return nil
        default: throw currentError(code)
        }
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    /// The column's text, all its bytes: a NUL inside it is kept, not taken for the end (a C string's).
    func text(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let base = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    private func currentError(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
    }
}

extension Array where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
