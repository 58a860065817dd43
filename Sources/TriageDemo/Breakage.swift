import Foundation
import TriageEngine

/// Ways a generated payload is broken, one per class of bad input the decoder must name.
enum Breakage: CaseIterable {
    case truncated, missingTitle, projectAsString, unknownType, badLevel, emptyFingerprint, invalidUTF8, eventProjectMismatch

    func apply(to payload: [UInt8]) -> [UInt8] {
        func replacing(_ old: String, _ new: String) -> [UInt8] {
            let text = String(decoding: payload, as: UTF8.self)
            guard let range = text.range(of: old) else { return payload }
            return Array(text.replacingCharacters(in: range, with: new).utf8)
        }
        switch self {
        case .truncated: return Array(payload.prefix(payload.count / 2))
        case .missingTitle: return replacing("\"issue_title\":", "\"issue_titel\":")
        case .projectAsString:
            let text = String(decoding: payload, as: UTF8.self)
            guard let range = text.range(of: #""project_id":(\d+)"#, options: .regularExpression) else { return payload }
            let number = text[range].dropFirst(13)
            return Array(text.replacingCharacters(in: range, with: "\"project_id\":\"\(number)\"").utf8)
        case .unknownType: return replacing("\"type\":", "\"type\":99999")  // prefixes the id: 1 becomes 999991
        case .badLevel: return replacing("\"level\":\"", "\"level\":\"critical-")
        case .emptyFingerprint: return replacing("\"fingerprint\":[\"", "\"fingerprint\":[\"\",\"")
        case .invalidUTF8:
            var bytes = payload
            if let position = bytes.firstIndex(of: UInt8(ascii: "#")) { bytes[position] = 0xFF }
            return bytes
        case .eventProjectMismatch: return replacing("\"event\":{\"project_id\":", "\"event\":{\"project_id\":7")
        }
    }
}
