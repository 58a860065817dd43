import Foundation
import GRDB
import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct StorePageSizeTests {
    private func pageSize(_ path: String) throws -> Int {
        try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA page_size") ?? 0 }
    }

    @Test func test_aNewStoreHas16KiBPagesAndAnOlderStoreKeepsItsOwn() throws {
        let directory = TemporaryDirectory()
        let fresh = directory.path + "/new.sqlite"
        _ = try SQLiteStore(path: fresh)
        #expect(try pageSize(fresh) == 16_384)

        // A store created before: 4 KiB pages, and a group in it.
        let older = directory.path + "/older.sqlite"
        let queue = try DatabaseQueue(path: older)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA page_size = 4096") }
        try StoreSchema.migrator.migrate(queue)
        try queue.close()
        #expect(try pageSize(older) == 4_096)
        let store = try SQLiteStore(path: older)
        let spool = try SpoolDirectory(path: directory.path + "/spool")
        directory.write("spool/a.json", PayloadBuilder(id: 1, fingerprint: "kept").json)
        let report = try SpoolIngestor(store: store, spool: spool).ingestAvailable()
        #expect(report.accepted == 1, "\(report)")
        #expect(try pageSize(older) == 4_096, "opening and writing an older store does not rebuild it")
        #expect(try store.countGroups(matching: .all) == 1)
    }
}
