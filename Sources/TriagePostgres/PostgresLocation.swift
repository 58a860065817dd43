import Foundation

/// Where a team store lives: a `postgres://` or `postgresql://` URL, as libpq reads one, without a
/// password (that comes from the environment: `PostgresPassword`).
///
/// `postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=/etc/ca.pem`; a Unix-socket
/// directory as the host, percent-encoded (`postgres://%2Frun%2Fpostgresql/triage`) or as
/// `?host=/run/postgresql`. The user defaults to `$PGUSER`, else the login name; the database to the user.
public struct PostgresLocation: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The directory holding the server's socket, `.s.PGSQL.PORT`.
        case socket(directory: String, port: Int)
    }

    /// libpq's names; `prefer` (TLS if the server offers it, unverified) is libpq's default over TCP.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable
        case prefer
        case require
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var database: String
    public var user: String
    public var sslMode: SSLMode
    /// The CA certificates (PEM) that `verify-full` trusts; the system's when nil.
    public var sslRootCert: String?

    /// Whether `text` names a team store rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        let start = text.prefix(13).lowercased()
        return start.hasPrefix("postgres://") || start.hasPrefix("postgresql://")
    }

    /// Whether `text` starts with a URL scheme (`mysql://`, `POSTGRES://`): never a file meant for SQLite.
    public static func hasScheme(_ text: String) -> Bool {
        text.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*://"#, options: .regularExpression) != nil
    }

    /// Whether `text` is a team store's URL with its `//` mistyped (`postgres:/alice@db/triage`,
    /// `postgresql:alice@…`, `postgres//…`): a path nobody means for a SQLite file.
    public static func isMistypedURL(_ text: String) -> Bool {
        !isURL(text) && text.range(of: #"^postgres(ql)?(:|//)"#, options: [.regularExpression, .caseInsensitive]) != nil
    }

    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresFailure) {
        guard let schemeEnd = text.range(of: "://"), Self.isURL(text) else {
            throw .badURL("it must start with postgres:// or postgresql://")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var parameters: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: true) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = try Self.decoded(parts[0])
                parameters[key] = parts.count > 1 ? try Self.decoded(parts[1]) : ""
            }
            rest = rest[..<question]
        }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = try Self.decoded(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        if parameters["password"] != nil || userInfo?.contains(":") == true {
            throw .passwordInURL
        }
        let known: Set = ["host", "port", "sslmode", "sslrootcert", "user", "dbname"]
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw .badURL("unknown parameter \(unknown); known: \(known.sorted().joined(separator: ", "))")
        }
        var host = ""
        var portText: String?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .badURL("an IPv6 host needs its closing ]") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = String(after.dropFirst()) } else if !after.isEmpty { throw .badURL("unexpected \(after) after the host") }
        } else if let colon = rest.lastIndex(of: ":") {
            host = try Self.decoded(rest[..<colon])
            portText = String(rest[rest.index(after: colon)...])
        } else {
            host = try Self.decoded(rest)
        }
        if let given = parameters["host"] { host = given }
        if let given = parameters["port"] { portText = given }
        var port = 5432
        if let portText, !portText.isEmpty {
            guard let number = Int(portText), (1...65535).contains(number) else { throw .badURL("the port must be a number from 1 to 65535, not \(portText)") }
            port = number
        }
        let defaultUser = environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.loginName()
        var named = parameters["user"]
        if named == nil, let userInfo, !userInfo.isEmpty { named = try Self.decoded(userInfo) }
        user = named ?? defaultUser
        database = parameters["dbname"] ?? (path.isEmpty ? user : path)
        if host.hasPrefix("/") {
            endpoint = .socket(directory: host, port: port)
        } else {
            endpoint = .tcp(host: host.isEmpty ? "localhost" : host, port: port)
        }
        let isSocket = if case .socket = endpoint { true } else { false }
        if let mode = parameters["sslmode"] {
            guard let parsed = SSLMode(rawValue: mode) else {
                throw .badURL("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), not \(mode)")
            }
            sslMode = parsed
        } else {
            // A Unix socket never leaves the machine, and PostgreSQL offers no TLS on one.
            sslMode = isSocket ? .disable : .prefer
        }
        if isSocket && sslMode != .disable && sslMode != .prefer {
            throw .badURL("sslmode=\(sslMode.rawValue) needs a TCP host: a Unix socket has no TLS")
        }
        if sslMode == .verifyFull, case let .tcp(host, _) = endpoint, Self.isIPAddress(host) {
            // PostgresNIO checks a certificate against a host name only: an address would go unchecked.
            throw .badURL("sslmode=verify-full checks the host's name against its certificate, and \(host) is an address; use the server's name")
        }
        sslRootCert = parameters["sslrootcert"]
        if sslRootCert != nil && sslMode != .verifyFull {
            throw .badURL("sslrootcert is read only with sslmode=verify-full")
        }
    }

    /// The URL without secrets, for messages.
    public var description: String {
        switch endpoint {
        case let .tcp(host, port): return "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        case let .socket(directory, port): return "postgres://\(user)@/\(database)?host=\(directory)&port=\(port)"
        }
    }

    private static func decoded(_ text: Substring) throws(PostgresFailure) -> String {
        guard let decoded = String(text).removingPercentEncoding else { throw .badURL("bad percent-encoding in \(text)") }
        return decoded
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    private static func loginName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "postgres"
    }
}
