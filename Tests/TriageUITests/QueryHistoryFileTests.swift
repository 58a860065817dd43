import Dispatch
import Foundation
import Testing
@testable import TriageUI
import TriageTestSupport

/// Two TUIs open at once keep each other's `/` history: a save appends this session's queries to the
/// file as it is then, under a lock, instead of writing back the list it loaded.
@Suite struct QueryHistoryFileTests {
    @Test func test_twoSessionsBothKeepTheirQueries() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.path + "/state/triage/history"
        let earlier = QueryHistoryFile(path: path)
        _ = earlier.load()
        earlier.save(["is:unresolved"])
        let first = QueryHistoryFile(path: path)
        let second = QueryHistoryFile(path: path)
        let firstLoaded = first.load()
        let secondLoaded = second.load()
        first.save(firstLoaded + ["level:fatal"])
        second.save(secondLoaded + ["type:error", "timeout"])
        #expect(QueryHistoryFile(path: path).load() == ["is:unresolved", "level:fatal", "type:error", "timeout"])
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600, "the history is its owner's alone")
    }

    @Test func test_concurrentSavesLoseNothingAndStayBounded() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.path + "/history"
        let seed = QueryHistoryFile(path: path)
        _ = seed.load()
        seed.save((0..<QueryHistoryFile.limit - 30).map { "old \($0)" })
        DispatchQueue.concurrentPerform(iterations: 8) { session in
            let file = QueryHistoryFile(path: path)
            let loaded = file.load()
            file.save(loaded + (0..<5).map { "session \(session) query \($0)" })
        }
        let merged = QueryHistoryFile(path: path).load()
        #expect(merged.count == QueryHistoryFile.limit, "bounded to the newest \(QueryHistoryFile.limit)")
        for session in 0..<8 {
            #expect((0..<5).allSatisfy { merged.contains("session \(session) query \($0)") }, "session \(session)'s queries are all kept")
        }
        #expect(merged.first == "old 10", "40 new lines past 470 push out the 10 oldest, no more")
    }

    @Test func test_aSessionThatRanNoQueryLeavesNoFile() {
        let scratch = TemporaryDirectory()
        let path = scratch.path + "/history"
        let file = QueryHistoryFile(path: path)
        file.save(file.load())
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
