import Foundation
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

/// Spool files that change under the ingester: appended to while read, replaced or removed after
/// the listing. `shouldStop`, polled between payloads, is where the test changes them.
@Suite struct ChangingSpoolTests {
    private func ingest(_ workspace: Workspace, whilePolled change: @escaping (Int) -> Void) throws -> IngestReport {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        var polls = 0
        return try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet).ingestAvailable {
            polls += 1
            change(polls)
            return false
        }
    }

    private func lines(_ range: Range<Int>) -> String {
        range.map { PayloadBuilder(id: $0, fingerprint: "fp-\($0 % 7)").json + "\n" }.joined()
    }

    @Test func test_linesAppendedWhileAFileIsReadAreIngestedBeforeItMoves() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", lines(0..<50))
        let path = workspace.directory.path + "/spool/a.jsonl"
        let report = try ingest(workspace) { poll in
            // Polled before the file, then between its payloads: append once it is being read.
            guard poll == 10, let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data(self.lines(50..<60).utf8))
            try? handle.close()
        }
        #expect(report.accepted == 60, "the appended lines were read, not moved away unread")
        #expect(try workspace.count("SELECT count(*) FROM occurrences") == 60)
        #expect(workspace.directory.files(in: "spool/processed") == ["a.jsonl"])
    }

    @Test func test_filesReplacedOrRemovedAfterTheListingAreTakenAsTheyAreWhenOpened() throws {
        let workspace = try Workspace()
        // Files are opened a few ahead of the writer (FilePrefetch): b and c come after that window.
        let first = (0..<FilePrefetch.depth).map { String(format: "a%03d.json", $0) }
        for (index, name) in first.enumerated() { workspace.drop(name, PayloadBuilder(id: 100 + index, fingerprint: "early").json) }
        workspace.drop("b.json", PayloadBuilder(id: 2).json)
        workspace.drop("c.json", PayloadBuilder(id: 3).json)
        let spool = workspace.directory.path + "/spool"
        let report = try ingest(workspace) { poll in
            guard poll == 1 else { return }
            // After the listing, before b and c are opened: b is replaced atomically, c disappears.
            workspace.directory.write("spool/.b.tmp", PayloadBuilder(id: 20, fingerprint: "replaced").json)
            rename(spool + "/.b.tmp", spool + "/b.json")
            unlink(spool + "/c.json")
        }
        #expect(report.accepted == first.count + 1)
        #expect(report.rejected == 0, "a file that vanished is no error")
        #expect(try workspace.groups().map(\.fingerprint).sorted() == ["early", "replaced"], "b as it was when opened")
        #expect(workspace.directory.files(in: "spool/processed") == first + ["b.json"])
    }

    @Test func test_aFileRenamedOntoTheNameOfOneBeingReadIsIngestedNotMovedAwayUnread() throws {
        let workspace = try Workspace()
        // Same size: a size check alone cannot tell them apart.
        workspace.drop("events.jsonl", lines(10..<40))
        let spool = workspace.directory.path + "/spool"
        var replaced = false
        _ = try ingest(workspace) { poll in
            // While the first file is read, a producer renames another one onto its name.
            guard poll == 10 else { return }
            workspace.directory.write("spool/.next.tmp", self.lines(40..<70))
            replaced = rename(spool + "/.next.tmp", spool + "/events.jsonl") == 0
        }
        #expect(replaced)
        #expect(workspace.directory.files(in: "spool").contains("events.jsonl"), "the second file stays for the next pass")
        _ = try ingest(workspace) { _ in }
        #expect(try workspace.count("SELECT count(*) FROM occurrences") == 60, "both files' payloads, each once")
        // The file read was unlinked by the rename onto its name: only the second is left to keep.
        #expect(workspace.directory.files(in: "spool/processed") == ["events.jsonl"])
    }

    @Test func test_aFileThatSlipsOntoTheNameAsItMovesIsPutBackIntoTheSpool() throws {
        let workspace = try Workspace()
        let spool = try SpoolDirectory(path: workspace.directory.path + "/spool")
        // As if the file read had been moved, but the rename took the one a producer put there after the check.
        workspace.directory.write("spool/processed/events.jsonl", lines(0..<3))
        let read = SpoolIdentity(device: -1, inode: -1)
        try SpoolDirectory.returnIfReplaced(SpoolName("events.jsonl"), expected: read,
                                            move: SpoolMove(name: SpoolName("events.jsonl"), destination: spool.processed), to: spool.descriptor)
        #expect(workspace.directory.files(in: "spool/processed").isEmpty)
        #expect(workspace.directory.files(in: "spool").contains("events.jsonl"))
        // And when yet another file has taken the name meanwhile, under a name of its own.
        workspace.directory.write("spool/processed/events.jsonl", lines(3..<6))
        try SpoolDirectory.returnIfReplaced(SpoolName("events.jsonl"), expected: read,
                                            move: SpoolMove(name: SpoolName("events.jsonl"), destination: spool.processed), to: spool.descriptor)
        #expect(workspace.directory.files(in: "spool").filter { $0.hasSuffix(".jsonl") }.sorted() == ["events.jsonl", "returned-1-events.jsonl"])
    }
}
