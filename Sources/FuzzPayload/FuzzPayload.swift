import FuzzSupport
import TriageEngine

// libFuzzer target: any bytes through the payload decoder and validator, and every decoded string
// through the terminal sanitiser. A crash, a hang or a sanitiser report is a bug; a thrown
// `PayloadError` is the expected answer to bad input. Built by `scripts/fuzz` (FUZZING); otherwise it is
// a replayer of corpus files (`FuzzPayload FILE...`).

private let decoder = PayloadDecoder(registry: .builtIn, limits: .default)

func fuzzPayload(_ bytes: [UInt8]) {
    guard case let .occurrence(occurrence)? = try? decoder.decode(bytes) else { return }
    for text in [occurrence.title, occurrence.subtitle, occurrence.culprit] + occurrence.fingerprint {
        let safe = TerminalText.sanitize(text)
        precondition(!safe.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) },
                     "a control character survived sanitising")
    }
    if let document = try? JSONDocument(bytes: bytes, maxDepth: 64) { _ = EvidenceTable.rows(of: document.root) }
}

@main enum Main {
    static func main() { FuzzEntry.main(fuzzPayload) }
}
