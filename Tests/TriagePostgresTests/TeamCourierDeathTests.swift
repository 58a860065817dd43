import Foundation
import TriageTestSupport
import XCTest

/// A courier killed (`kill -9`) mid-delivery: its notifier dies with it, and the delivery is taken
/// over by another courier soon after the notifier's timeout, not minutes later, and sent once.
final class TeamCourierDeathTests: TeamStoreTestCase {
    private func alive(_ pid: Int32) -> Bool {
        // Reparented to an init that may not reap it: a zombie is dead too.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
    }

    private func until(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    func test_aCourierKilledMidDeliveryTakesItsNotifierWithItAndTheDeliveryIsTakenOverSoon() throws {
        try cli.succeed(["store", "migrate", "--store", url])
        let home = cli.home
        // The first run hangs (as a notifier stuck on a slow endpoint); any later one delivers at once.
        let script = home + "/notify.sh"
        try """
            #!/bin/sh
            cat > /dev/null
            if mkdir "\(home)/first" 2>/dev/null; then
                echo $$ > "\(home)/hung.pid"
                sleep 30
            fi
            echo delivered >> "\(home)/delivered.log"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let config = home + "/notify.toml"
        try "[[notifiers]]\nname = \"slow\"\nkind = \"command\"\nargv = [\"\(script)\"]\ntimeout = 3\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let spool = home + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try (PayloadBuilder.bare(id: 1, fingerprint: "a", title: "Boom").json + "\n").write(toFile: spool + "/a.jsonl", atomically: true, encoding: .utf8)

        let first = try TeamProcess(cli, ["ingest", "--follow", "--spool", spool, "--store", url, "--config", config])
        defer { _ = first.kill() }
        XCTAssertTrue(until(15) { FileManager.default.fileExists(atPath: home + "/hung.pid") }, "the notifier ran: \(first.stderr)")
        usleep(100_000)
        let hung = try XCTUnwrap(Int32(try String(contentsOfFile: home + "/hung.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertTrue(alive(hung))
        XCTAssertTrue(first.kill())
        let killed = Date()
        XCTAssertTrue(until(3) { !alive(hung) }, "the notifier died with its courier")

        let second = try TeamProcess(cli, ["ingest", "--follow", "--spool", spool, "--store", url, "--config", config])
        defer { _ = second.kill() }
        let delivered = home + "/delivered.log"
        XCTAssertTrue(until(30) { FileManager.default.fileExists(atPath: delivered) }, "taken over: \(second.stderr)")
        XCTAssertLessThan(Date().timeIntervalSince(killed), 3 + 10 + 5, "within a bit over the notifier's timeout")
        usleep(500_000)
        XCTAssertEqual(try String(contentsOfFile: delivered, encoding: .utf8), "delivered\n", "sent once")
        second.interrupt()
        XCTAssertEqual(second.wait(), 0, second.stderr)
    }
}
