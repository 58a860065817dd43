/// Why a payload was refused. Each case names the field (as a dotted path) where one applies, and
/// renders as one sentence; the spool adds the file and line.
public enum PayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(size: Int, limit: Int)
    case syntax(JSONSyntaxError)
    case notAnObject(found: String)
    case duplicateKey(String)
    case unknownPayloadType(String)
    case missingField(String)
    case wrongType(field: String, expected: String, found: String)
    case empty(field: String)
    case invalidUUID(field: String, value: String)
    case invalidValue(field: String, reason: String)
    case unknownGroupType(Int)
    case disallowedStatus(field: String, reason: String)

    /// The dotted path of the offending field, or nil when the payload as a whole is at fault.
    public var field: String? {
        switch self {
        case .tooLarge, .syntax, .notAnObject: return nil
        case let .duplicateKey(field), let .missingField(field), let .empty(field): return field
        case .unknownPayloadType: return "payload_type"
        case let .wrongType(field, _, _), let .invalidUUID(field, _), let .invalidValue(field, _),
             let .disallowedStatus(field, _):
            return field
        case .unknownGroupType: return "type"
        }
    }

    /// The reason without the field name.
    public var reason: String {
        switch self {
        case let .tooLarge(size, limit): return "payload is \(size) bytes, larger than the limit of \(limit) bytes"
        case let .syntax(error): return error.description
        case let .notAnObject(found): return "payload must be a JSON object, found \(found)"
        case .duplicateKey: return "key appears more than once"
        case let .unknownPayloadType(value):
            return "unknown payload_type \(Sanitized.quote(value)); expected \"occurrence\" or \"status_change\""
        case .missingField: return "required field is missing"
        case let .wrongType(_, expected, found): return "must be \(expected), found \(found)"
        case .empty: return "must not be empty"
        case let .invalidUUID(_, value): return "\(Sanitized.quote(value)) is not a UUID"
        case let .invalidValue(_, reason), let .disallowedStatus(_, reason): return reason
        case let .unknownGroupType(id): return "unknown group type id \(id) (see `triage types`)"
        }
    }

    public var description: String {
        field.map { "\($0): \(reason)" } ?? reason
    }
}

/// Quoting untrusted values inside error messages: bounded length, control characters made visible.
enum Sanitized {
    static func quote(_ value: String, limit: Int = 80) -> String {
        var text = ""
        for scalar in value.unicodeScalars.prefix(limit) {
            text += scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return "\"\(text)\(value.unicodeScalars.count > limit ? "…" : "")\""
    }
}
