import TriageTestSupport
import XCTest

extension PostgresServer {
    /// The server, or a skip (a failure under `TRIAGE_REQUIRE_POSTGRES=1`) saying why there is none.
    static func shared() throws -> PostgresServer {
        do {
            return try require()
        } catch let reason as Unavailable where !isRequired {
            throw XCTSkip("no PostgreSQL for the team-store tests: \(reason)")
        }
    }

    /// A server of the test's own, which it may stop and start again (an outage); removed when the test ends.
    static func dedicated(for test: XCTestCase) throws -> PostgresServer {
        _ = try shared()
        let server = try launchAnother()
        test.addTeardownBlock { server.stop() }
        return server
    }
}
