import TriageEngine

/// Team-store failures a user can act on, each one sentence saying what to do.
public enum PostgresFailure: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    case passwordInURL
    case passwordVariableUnset(String)
    case unreachable(location: String, reason: String)
    /// The server answered but refused the login (a password, a role, a database that is not there):
    /// waiting will not change that.
    case loginRefused(location: String, reason: String)
    /// The server refused a statement (a permission, a constraint): its own words.
    case server(String)
    /// Another session held a lock the statement needed for longer than the session waits.
    case busy(seconds: Int)
    /// The server rolled the transaction back because it raced another (a serialisation failure or
    /// a deadlock): running it again succeeds.
    case raced(String)
    /// The server refused a value (SQLSTATE class 22 or 23): the statement's data, not the store, is at fault.
    case badValue(String)
    case schemaMissing(location: String)
    case schemaBehind(location: String, has: Int, wants: Int)
    case schemaNewer(location: String, has: Int, knows: Int)
    /// What team mode cannot do yet, with what to use instead.
    case unsupported(String)
    /// A read `ReadInterruption` stopped (the server was asked to cancel it).
    case interrupted

    /// Whether trying again later may succeed: the server was unreachable or the transaction raced another.
    public var isTransient: Bool {
        switch self {
        case .unreachable, .raced: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case let .badURL(reason): return "bad store URL: \(reason)"
        case .passwordInURL:
            return "a password in the store URL is refused: put it in $PGPASSWORD, or name the variable holding it with [store] password_env"
        case let .passwordVariableUnset(name): return "[store] password_env names $\(name), which is not set"
        case let .unreachable(location, reason): return "cannot reach the team store at \(location): \(reason)"
        case let .loginRefused(location, reason): return "the team store at \(location) refused the login: \(reason)"
        case let .server(message), let .badValue(message): return "the team store refused: \(message)"
        case let .busy(seconds):
            return "another session held what this change needs for \(seconds) s (a long transaction?); nothing was changed, try again"
        case let .raced(message): return "the team store rolled back a transaction that raced another: \(message)"
        case let .schemaMissing(location):
            return "the team store at \(location) has no triage schema yet; create it with `triage store migrate --store \(location)`"
        case let .schemaBehind(location, has, wants):
            return "the team store at \(location) has schema v\(has), this triage needs v\(wants); "
                + "upgrade it with `triage store migrate --store \(location)` (as the schema's owner)"
        case let .schemaNewer(location, has, knows):
            return "the team store at \(location) has schema v\(has), newer than this triage knows (v\(knows)); upgrade triage"
        case let .unsupported(what): return what
        case .interrupted: return "the read was stopped before it finished"
        }
    }
}

extension PostgresFailure {
    /// A value of the statement's the server refused: the data's fault, not the store's.
    var isBadValue: Bool {
        if case .badValue = self { return true }
        return false
    }
}

extension PostgresFailure: InterruptedRead {
    package var isInterruptedRead: Bool { self == .interrupted }
}
