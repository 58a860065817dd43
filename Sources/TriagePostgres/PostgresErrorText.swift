import Foundation
import NIOCore
import NIOSSL
import PostgresNIO

/// What went wrong talking to the team store, in words a user can act on: PostgresNIO's and
/// NIOSSL's own descriptions are type dumps (and BoringSSL's carry the build's source paths).
enum PostgresErrorText {
    /// The server's message (with its detail and hint), or the connection's failure, in words.
    static func reason(_ error: any Error, at location: PostgresLocation) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let message = info[.message] {
                var words = [message, info[.detail], info[.hint]].compactMap { $0 }
                if info[.sqlState] == insufficientPrivilege { words.append(privilegeHint(location)) }
                return words.joined(separator: "; ")
            }
            switch error.code {
            case .authMechanismRequiresPassword:
                return "the server asks \(location.user) for a password: set $PGPASSWORD, or name the variable holding it with [store] password_env"
            case .sslUnsupported:
                return "the server does not offer TLS, which sslmode=\(location.sslMode.rawValue) requires (sslmode=disable connects without it)"
            case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                return "the connection was closed"
            default:
                if let underlying = error.underlying { return reason(underlying, at: location) }
                return "\(error.code)"
            }
        }
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED { return refused(location) }
        if case let .handshakeFailed(inner)? = error as? NIOSSLError { return handshake(inner, at: location) }
        let text = "\(error)"
        if text.contains("Connection refused") { return refused(location) }
        return withoutSourcePaths(text)
    }

    /// Why the TLS settings could not be used (before any connection is tried).
    static func tlsSetup(_ error: any Error, at location: PostgresLocation) -> String {
        let file = location.sslRootCert ?? "the system's certificates"
        if case .noSuchFilesystemObject? = error as? NIOSSLError { return "cannot set up TLS: sslrootcert \(file) does not exist" }
        let text = "\(error)"
        if text.contains("NO_CERTIFICATE") || text.contains("PEM") || text.contains("failedToLoadCertificate") {
            return "cannot set up TLS: sslrootcert \(file) holds no PEM certificate"
        }
        return "cannot set up TLS with sslrootcert \(file): \(withoutSourcePaths(text))"
    }

    private static let insufficientPrivilege = "42501"

    private static func privilegeHint(_ location: PostgresLocation) -> String {
        "the role \(location.user) may not do this: on-call engineers are members of triage_oncall, ingesting hosts of "
            + "triage_ingest (`triage store grants` prints the SQL), and only the schema's owner runs `triage store migrate`"
    }

    private static func refused(_ location: PostgresLocation) -> String {
        "connection refused: no server is listening at \(location.endpointDescription)"
    }

    private static func handshake(_ error: BoringSSLError, at location: PostgresLocation) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            let trusted = location.sslRootCert.map { "the CA in sslrootcert \($0)" } ?? "the system's CAs (name the server's CA with sslrootcert=PATH)"
            return "the server's certificate is not signed by \(trusted), or does not name \(location.endpointDescription)"
        }
        return "the TLS handshake failed: \(withoutSourcePaths(text))"
    }

    /// BoringSSL's messages end each reason with ` at /path/to/file.cc:123`.
    static func withoutSourcePaths(_ text: String) -> String {
        text.replacingOccurrences(of: #" at /[^\s\]\)]*:[0-9]+"#, with: "", options: .regularExpression)
    }
}

extension PostgresLocation {
    /// Where the server was looked for: `host:port`, or the socket's path.
    var endpointDescription: String {
        switch endpoint {
        case let .tcp(host, port): return "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        case let .socket(directory, port): return "\(directory)/.s.PGSQL.\(port)"
        }
    }
}
