import FuzzSupport
import TriageEngine

// libFuzzer target: any text through the query parser. A `QueryError` must name a column inside
// the query; a parsed query's source must round-trip. See FuzzPayload for how it is built.

private let parser = QueryParser(registry: .builtIn)

func fuzzQuery(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let query = try parser.parse(text)
        _ = try parser.parse(query.source)
    } catch {
        precondition(error.column >= 1 && error.column <= text.count + 1, "error column \(error.column) outside the query")
    }
}

@main enum Main {
    static func main() { FuzzEntry.main(fuzzQuery) }
}
