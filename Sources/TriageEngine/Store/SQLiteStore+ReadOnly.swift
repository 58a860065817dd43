import Foundation
import GRDB

extension SQLiteStore {
    /// Opens an existing store for reading only, for a process that may not write it (a read-only
    /// filesystem, a file it may only read): nothing is created, upgraded or written. A store from
    /// an earlier triage needs its upgrade first, which needs write access.
    public convenience init(readingOnly path: String, registry: GroupTypeRegistry = .builtIn, settings: EngineSettings = EngineSettings(),
                            clock: any TriageClock = SystemClock()) throws {
        _ = Self.sqliteConfigured
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.cannotOpen(path: path, reason: "no store there") }
        let pool: DatabasePool
        do {
            pool = try Self.openReadOnly(path)
            if try pool.read(StoreSchema.migrator.hasBeenSuperseded) { throw StoreError.newerSchema(path: path) }
            guard try pool.read(StoreSchema.migrator.hasCompletedMigrations) else {
                throw StoreError.cannotOpen(path: path, reason: "it is from an earlier triage and must be upgraded once by a process that may write it")
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        self.init(pool: pool, path: path, registry: registry, settings: settings, clock: clock)
    }

    /// A WAL store's readers need its shared-memory file, which a read-only filesystem cannot give
    /// them when the last writer removed it on closing. There no one can write the store either, so
    /// it is read as immutable: SQLite then takes no locks and needs no such file.
    private static func openReadOnly(_ path: String) throws -> DatabasePool {
        let configuration = configuration(readonly: true)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            _ = try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
            return pool
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN && onReadOnlyFilesystem(path) && !hasUncheckpointedLog(path) {
            return try DatabasePool(path: immutableURI(path), configuration: configuration)
        }
    }

    private static func onReadOnlyFilesystem(_ path: String) -> Bool {
        var status = statvfs()
        return statvfs(path, &status) == 0 && status.f_flag & UInt(ST_RDONLY) != 0
    }

    /// A write-ahead log with frames in it holds commits the store file lacks: immutable would miss them.
    private static func hasUncheckpointedLog(_ path: String) -> Bool {
        var status = stat()
        return stat(path + "-wal", &status) == 0 && status.st_size > 0
    }

    /// `file:` URI of the path with `immutable=1` (characters a URI gives meaning to are escaped).
    private static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }
}
