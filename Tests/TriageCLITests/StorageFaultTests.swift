import Foundation
import GRDB
import Testing
import TriageTestSupport

/// The store on a full disk, a read-only filesystem, damaged, or from a newer triage: each a clear
/// error and exit 1, with the spool still holding everything that was not stored.
@Suite(.serialized) struct StorageFaultTests {
    /// tmpfs mounts need root (CAP_SYS_ADMIN); CI and this machine have it.
    static let canMount: Bool = {
        let scratch = TemporaryDirectory()
        let probe = scratch.path + "/probe"
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        guard (try? TriageProcess.shell("mount -t tmpfs -o size=1m tmpfs '\(probe)' && echo ok")) == "ok\n" else { return false }
        _ = try? TriageProcess.shell("umount '\(probe)'")
        return true
    }()

    private func mount(_ directory: String, size: String, options: String = "") throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(try TriageProcess.shell("mount -t tmpfs -o size=\(size)\(options) tmpfs '\(directory)' && echo ok") == "ok\n")
    }

    private func spoolFiles(_ scratch: TemporaryDirectory) -> [String] { scratch.files(in: "spool").filter { $0.hasSuffix(".jsonl") } }

    /// Ingesting a fresh spool into `store` ends with exit 1 and `message`, every file still in the spool.
    private func expectIngestRefused(store: String, _ scratch: TemporaryDirectory, saying message: String) throws {
        try TriageProcess.run(["gen", "--out", scratch.path + "/spool", "--occurrences", "50", "--per-file", "10", "--seed", "4"], home: scratch.path)
        let before = spoolFiles(scratch)
        let result = try TriageProcess.run(["ingest", "--spool", scratch.path + "/spool", "--store", store], home: scratch.path)
        #expect(result.status == 1)
        #expect(result.stderr == message)
        #expect(spoolFiles(scratch) == before)
    }

    /// Occurrences in the store: grouped ones plus those held as noise.
    private func storedOccurrences(_ store: String, _ scratch: TemporaryDirectory) throws -> Int {
        let groups = try #require(try TriageProcess.json(try TriageProcess.run(["list", "--query", "", "--json", "--store", store], home: scratch.path).stdout) as? [[String: Any]])
        let noise = try #require(try TriageProcess.json(try TriageProcess.run(["list", "--noise", "--json", "--store", store], home: scratch.path).stdout) as? [[String: Any]])
        return groups.reduce(0) { $0 + ($1["times_seen"] as! Int) } + noise.reduce(0) { $0 + ($1["held"] as! Int) }
    }

    @Test(.enabled(if: canMount)) func test_aFullDiskStopsIngestClearlyAndARerunWithSpaceLosesNothing() throws {
        let scratch = TemporaryDirectory()
        let disk = scratch.path + "/disk"
        // Room for a new store (~0.6 MB empty with 16 KiB pages, and 16 KiB WAL frames) and some of
        // the 3,000 occurrences, not all of them.
        try mount(disk, size: "4m")
        defer { _ = try? TriageProcess.shell("umount '\(disk)'") }
        try TriageProcess.run(["gen", "--out", scratch.path + "/spool", "--occurrences", "3000", "--groups", "300", "--per-file", "100", "--seed", "4"],
                              home: scratch.path)
        let store = disk + "/store.sqlite"
        // Small transactions, so some files are stored and moved before the disk fills.
        let full = try TriageProcess.run(["ingest", "--spool", scratch.path + "/spool", "--store", store, "--batch-rows", "100"], home: scratch.path)
        #expect(full.status == 1)
        #expect(full.stderr == "triage: the store's disk is full (database or disk is full); free space and run again: what was not stored is still in the spool\n")
        #expect(!spoolFiles(scratch).isEmpty, "files not stored stay in the spool")
        #expect(scratch.files(in: "spool/failed").isEmpty, "a full disk is not bad input")
        #expect(!scratch.files(in: "spool/processed").isEmpty, "the files stored before the disk filled were moved")

        #expect(try TriageProcess.shell("mount -o remount,size=64m '\(disk)' && echo ok") == "ok\n")
        let rerun = try TriageProcess.run(["ingest", "--spool", scratch.path + "/spool", "--store", store], home: scratch.path)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(spoolFiles(scratch).isEmpty)
        #expect(try storedOccurrences(store, scratch) == 3000, "every occurrence exactly once across the failed run and the rerun")
    }

    @Test(.enabled(if: canMount)) func test_aReadOnlyStoreIsAClearErrorAndTheSpoolIsUntouched() throws {
        let scratch = TemporaryDirectory()
        let disk = scratch.path + "/disk"
        try mount(disk, size: "16m")
        defer { _ = try? TriageProcess.shell("umount '\(disk)'") }
        let store = disk + "/store.sqlite"
        #expect(try TriageProcess.run(["list", "--store", store], home: scratch.path).status == 0)
        #expect(try TriageProcess.shell("mount -o remount,ro '\(disk)' && echo ok") == "ok\n")
        try expectIngestRefused(store: store, scratch, saying: "triage: cannot open the store at \(store): Read-only file system\n")
        #expect(scratch.files(in: "spool/processed").isEmpty)
    }

    @Test func test_aDamagedStoreIsAClearErrorAndTheSpoolIsUntouched() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/store.sqlite"
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: URL(fileURLWithPath: store))
        try expectIngestRefused(store: store, scratch, saying: "triage: cannot open the store at \(store): file is not a database\n")
    }

    @Test func test_upgradingAStoreWithDataSaysSoOnceBeforeItStarts() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let payload = PayloadBuilder.bare(id: 1, title: "T").json
        try (payload + "\n").write(toFile: spool + "/a.jsonl", atomically: true, encoding: .utf8)
        #expect(try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path).status == 0)
        let fresh = try TriageProcess.run(["list", "--store", scratch.path + "/new.sqlite"], home: scratch.path)
        #expect(fresh.stderr == "", "a new store is created, not upgraded")
        // The store as schema v8 left it.
        try DatabaseQueue(path: store).write { db in
            try db.execute(sql: """
                CREATE TABLE retired_occurrences (id BLOB PRIMARY KEY) WITHOUT ROWID;
                DROP TABLE occurrence_ids;
                CREATE TRIGGER groups_search_insert AFTER INSERT ON groups BEGIN
                    INSERT INTO groups_search_pending (id, indexed_text) VALUES (new.id, NULL) ON CONFLICT (id) DO NOTHING;
                END;
                DROP TABLE ingest_moves; DROP TABLE groups_grams; DROP TABLE groups_gram_postings;
                DROP TABLE group_assignments; DROP TABLE group_notes; DROP INDEX groups_by_assignee; DROP TABLE group_priorities;
                ALTER TABLE ingest_files DROP COLUMN ctime_ns;
                DELETE FROM grdb_migrations
                WHERE identifier LIKE 'v9:%' OR identifier LIKE 'v10:%' OR identifier LIKE 'v11:%' OR identifier LIKE 'v12:%'
                    OR identifier LIKE 'v13:%' OR identifier LIKE 'v14:%' OR identifier LIKE 'v15:%';
                """)
        }
        let upgrade = try TriageProcess.run(["list", "--store", store], home: scratch.path)
        #expect(upgrade.status == 0)
        #expect(upgrade.stderr == "triage: upgrading the store at \(store) to schema v15; a large store takes a few minutes, once\n")
        #expect(upgrade.stdout.contains("P1-1"))
        let after = try TriageProcess.run(["list", "--store", store], home: scratch.path)
        #expect(after.stderr == "")

        // v10 only drops a trigger, v11 adds an empty table, v12 a column, v14 empty tables and an
        // index of the few assigned groups, v15 an empty table: quick, so not announced.
        try DatabaseQueue(path: store).write { db in
            try db.execute(sql: """
                DROP TABLE ingest_moves;
                DROP TABLE group_assignments; DROP TABLE group_notes; DROP INDEX groups_by_assignee; DROP TABLE group_priorities;
                ALTER TABLE ingest_files DROP COLUMN ctime_ns;
                DELETE FROM grdb_migrations
                WHERE identifier LIKE 'v10:%' OR identifier LIKE 'v11:%' OR identifier LIKE 'v12:%' OR identifier LIKE 'v14:%'
                    OR identifier LIKE 'v15:%';
                """)
        }
        let quick = try TriageProcess.run(["list", "--store", store], home: scratch.path)
        #expect(quick.status == 0)
        #expect(quick.stderr == "")
    }

    @Test func test_aStoreFromANewerTriageIsRefusedAndTheSpoolIsUntouched() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/store.sqlite"
        #expect(try TriageProcess.run(["list", "--store", store], home: scratch.path).status == 0)
        try DatabaseQueue(path: store).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from a later triage')")
        }
        try expectIngestRefused(store: store, scratch, saying: "triage: the store at \(store) was written by a newer version of triage; upgrade triage or use another --store\n")
    }
}
