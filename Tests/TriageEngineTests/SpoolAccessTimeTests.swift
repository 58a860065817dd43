import Foundation
import Testing
@testable import TriageEngine
import TriageTestSupport

/// Reading a spool file must not write its inode: with relatime, the first read of every new file
/// would update its access time (`SpoolFile.open` passes O_NOATIME for files the process owns).
@Suite struct SpoolAccessTimeTests {
    /// 2020-01-01, older than any file's modification time here: a relatime read would move it.
    private static let oldAccessTime = 1_577_836_800

    /// Sets the access time, keeping the modification time; false if either call failed.
    private static func setAccessTime(_ path: String, to seconds: Int) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), info.st_mtim]
        return utimensat(AT_FDCWD, path, &times, 0) == 0
    }

    private static func accessTime(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_atim.tv_sec : -1
    }

    /// Whether a plain read updates an old access time on the test's file system (a `noatime` mount does not,
    /// and there the behaviour under test cannot be told apart).
    private static var readsUpdateAccessTimes: Bool {
        let directory = TemporaryDirectory()
        directory.write("probe", "probe")
        let path = directory.path + "/probe"
        guard setAccessTime(path, to: oldAccessTime) else { return false }
        _ = FileManager.default.contents(atPath: path)
        return accessTime(path) != oldAccessTime
    }

    @Test(.enabled(if: readsUpdateAccessTimes)) func test_ingestingAFileLeavesItsAccessTimeAlone() throws {
        let workspace = try Workspace()
        workspace.drop("one.json", PayloadBuilder(id: 1).json)
        workspace.drop("lines.jsonl", PayloadBuilder(id: 2).json + "\n" + PayloadBuilder(id: 3).json + "\n")
        for name in ["one.json", "lines.jsonl"] {
            #expect(Self.setAccessTime(workspace.spool.path + "/" + name, to: Self.oldAccessTime))
        }

        let report = try workspace.ingest()

        #expect(report.accepted == 3)
        for name in ["one.json", "lines.jsonl"] {
            #expect(Self.accessTime(workspace.spool.path + "/processed/" + name) == Self.oldAccessTime,
                    "\(name) was read with an access-time update")
        }
    }
}
