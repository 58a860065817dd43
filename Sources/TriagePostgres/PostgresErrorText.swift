import Foundation
import NIOCore
import NIOPosix
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
            case .unsupportedAuthMechanism:
                return "the server asks for a way of logging in triage does not support (use scram-sha-256, md5 or trust in pg_hba.conf)"
            case .receivedUnencryptedDataAfterSSLRequest, .messageDecodingFailure, .unexpectedBackendMessage, .invalidCommandTag:
                return "the server at \(location.endpointDescription) answered in a way triage cannot read: is it PostgreSQL?"
            case .queryCancelled: return "the statement was cancelled"
            case .tooManyParameters: return "one statement had more values than PostgreSQL takes"
            default:
                if let underlying = error.underlying { return reason(underlying, at: location) }
                return closed
            }
        }
        if case let .handshakeFailed(inner)? = error as? NIOSSLError { return handshake(inner, at: location) }
        if let text = connectionReason(error, at: location) { return text }
        let text = "\(error)"
        // Last resort: an error of a kind not met before still names its system call's failure in words.
        if let number = errnoNamed(in: text) { return systemReason(number, at: location) }
        return withoutSourcePaths(text)
    }

    /// Why a connection could not be made or was lost, from the error at its root (an errno, a
    /// timeout, a name that does not resolve), in words; nil when `error` is none of those.
    private static func connectionReason(_ error: any Error, at location: PostgresLocation) -> String? {
        switch error {
        case let io as IOError: return systemReason(io.errnoCode, at: location)
        case let failure as NIOConnectionError:
            if failure.dnsAError != nil || failure.dnsAAAAError != nil { return unknownHost(location) }
            return failure.connectionErrors.first.flatMap { connectionReason($0.error, at: location) } ?? refused(location)
        case is SocketAddressError.UnknownHost: return unknownHost(location)
        case let address as SocketAddressError where address == .unixDomainSocketPathTooLong:
            return "the socket path \(location.endpointDescription) is longer than a Unix socket's path may be; use a shorter socket directory"
        case let channel as ChannelError:
            if case let .connectTimeout(time) = channel {
                return "no answer within \(time.nanoseconds / 1_000_000_000) s: is the host up, and does a firewall let port \(location.port) through?"
            }
            return closed
        default: return nil
        }
    }

    /// One sentence per errno a connection meets, saying what to check; never the C library's text.
    static func systemReason(_ number: Int32, at location: PostgresLocation) -> String {
        switch number {
        case ECONNREFUSED: return refused(location)
        case ENOENT, ENOTDIR:
            if case let .socket(directory, _) = location.endpoint {
                return "no server socket at \(location.endpointDescription) — is the server running, with its socket in \(directory)?"
            }
            return "\(location.endpointDescription) does not exist"
        case EACCES, EPERM: return "permission denied opening \(location.endpointDescription)"
        case ECONNRESET, EPIPE, ECONNABORTED: return "the server closed the connection (stopped or restarted?)"
        case ETIMEDOUT: return "the server stopped answering (timed out): is the host up, and the network between?"
        case EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN: return "no route to \(location.endpointDescription): is the host up, and the network between?"
        case EADDRNOTAVAIL: return "no local address can reach \(location.endpointDescription)"
        default: return "the connection to \(location.endpointDescription) failed (system error \(number))"
        }
    }

    private static let closed = "the connection was closed"

    /// The errno a library's description names (`(errno: 104)`, `ECONNRESET`), for errors of a type not handled above.
    static func errnoNamed(in text: String) -> Int32? {
        if let range = text.range(of: #"errno:? ?[0-9]+"#, options: .regularExpression) {
            return Int32(text[range].filter(\.isNumber))
        }
        let names: [(String, Int32)] = [("ECONNREFUSED", ECONNREFUSED), ("ECONNRESET", ECONNRESET), ("ENOENT", ENOENT), ("EPIPE", EPIPE),
                                        ("ETIMEDOUT", ETIMEDOUT), ("EHOSTUNREACH", EHOSTUNREACH), ("ENETUNREACH", ENETUNREACH),
                                        ("EACCES", EACCES), ("Connection refused", ECONNREFUSED), ("Connection reset by peer", ECONNRESET)]
        return names.first { text.contains($0.0) }?.1
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
        if case .socket = location.endpoint { return "no server is listening on the socket \(location.endpointDescription) — is the server running?" }
        return "connection refused — is the server running, and listening on port \(location.port)?"
    }

    private static func unknownHost(_ location: PostgresLocation) -> String {
        if case let .tcp(host, _) = location.endpoint { return "the host name \(host) does not resolve" }
        return "the host name does not resolve"
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
    /// The port the server listens on (or names its socket after).
    var port: Int {
        switch endpoint {
        case let .tcp(_, port), let .socket(_, port): return port
        }
    }

    /// Where the server was looked for: `host:port`, or the socket's path.
    public var endpointDescription: String {
        switch endpoint {
        case let .tcp(host, port): return "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        case let .socket(directory, port): return "\(directory)/.s.PGSQL.\(port)"
        }
    }
}
