import TriagePostgres
import XCTest

/// Store URLs as libpq reads them, and the password never taken from one.
final class PostgresLocationTests: XCTestCase {
    private let environment = ["PGUSER": "oncall"]

    func test_hostPortDatabaseAndUser() throws {
        let location = try PostgresLocation(parsing: "postgresql://alice@db.internal:6543/triage", environment: environment)
        XCTAssertEqual(location.endpoint, .tcp(host: "db.internal", port: 6543))
        XCTAssertEqual(location.user, "alice")
        XCTAssertEqual(location.database, "triage")
        XCTAssertEqual(location.sslMode, .prefer)
    }

    func test_defaultsFollowLibpq() throws {
        let location = try PostgresLocation(parsing: "postgres://db", environment: environment)
        XCTAssertEqual(location.endpoint, .tcp(host: "db", port: 5432))
        XCTAssertEqual(location.user, "oncall")
        XCTAssertEqual(location.database, "oncall")
    }

    func test_unixSocketAsHostParameterOrPercentEncodedHost() throws {
        let parameter = try PostgresLocation(parsing: "postgres://alice@/triage?host=/run/postgresql&port=5433", environment: environment)
        XCTAssertEqual(parameter.endpoint, .socket(directory: "/run/postgresql", port: 5433))
        XCTAssertEqual(parameter.sslMode, .disable)
        let encoded = try PostgresLocation(parsing: "postgres://alice@%2Frun%2Fpostgresql/triage", environment: environment)
        XCTAssertEqual(encoded.endpoint, .socket(directory: "/run/postgresql", port: 5432))
        XCTAssertEqual(encoded.database, "triage")
    }

    func test_sslModes() throws {
        XCTAssertEqual(try PostgresLocation(parsing: "postgres://h/d?sslmode=disable").sslMode, .disable)
        XCTAssertEqual(try PostgresLocation(parsing: "postgres://h/d?sslmode=require").sslMode, .require)
        let verified = try PostgresLocation(parsing: "postgres://h/d?sslmode=verify-full&sslrootcert=/etc/triage/ca.pem")
        XCTAssertEqual(verified.sslMode, .verifyFull)
        XCTAssertEqual(verified.sslRootCert, "/etc/triage/ca.pem")
        XCTAssertThrowsError(try PostgresLocation(parsing: "postgres://h/d?sslmode=verify-ca")) {
            XCTAssertEqual("\($0)", "bad store URL: sslmode must be one of disable, prefer, require, verify-full, not verify-ca")
        }
        XCTAssertThrowsError(try PostgresLocation(parsing: "postgres://h/d?sslrootcert=/ca.pem")) {
            XCTAssertEqual("\($0)", "bad store URL: sslrootcert is read only with sslmode=verify-full")
        }
    }

    func test_aPasswordInTheURLIsRefusedSayingWhereItGoes() {
        for url in ["postgres://alice:secret@db/triage", "postgres://alice@db/triage?password=secret"] {
            XCTAssertThrowsError(try PostgresLocation(parsing: url)) {
                XCTAssertEqual($0 as? PostgresFailure, .passwordInURL)
                XCTAssertTrue("\($0)".contains("$PGPASSWORD"), "\($0)")
                XCTAssertFalse("\($0)".contains("secret"), "\($0)")
            }
        }
    }

    func test_unknownParametersAndBadPortsAreRefused() {
        XCTAssertThrowsError(try PostgresLocation(parsing: "postgres://db/triage?sslmdoe=require")) {
            XCTAssertTrue("\($0)".contains("unknown parameter sslmdoe"), "\($0)")
        }
        XCTAssertThrowsError(try PostgresLocation(parsing: "postgres://db:99999/triage")) {
            XCTAssertTrue("\($0)".contains("port"), "\($0)")
        }
    }

    func test_descriptionHasNoSecretAndNamesTheStore() throws {
        XCTAssertEqual(try PostgresLocation(parsing: "postgres://alice@db:5433/triage").description, "postgres://alice@db:5433/triage")
    }
}
