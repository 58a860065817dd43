import GRDB

/// One line for a database error that reaches the user in the middle of a command (the store
/// opened, then a write failed). Ingest commits a file's rows before it moves the file, so after
/// any of these the spool still holds everything not stored.
public enum StoreFailure {
    public static func describe(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        let reason = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_FULL:
            return "the store's disk is full (\(reason)); free space and run again: what was not stored is still in the spool"
        case .SQLITE_READONLY:
            return "the store is read-only (\(reason)); nothing was changed"
        case .SQLITE_IOERR:
            return "the store could not be written (\(reason)); what was not stored is still in the spool"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return "the store is damaged (\(reason)); keep a copy and use another --store"
        default:
            return "store error: \(reason)"
        }
    }
}
