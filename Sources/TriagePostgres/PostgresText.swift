import PostgresNIO

/// How text reaches the server: PostgreSQL's `text` cannot hold U+0000, which SQLite stores, so a
/// NUL becomes U+2400 (␀, the symbol the UI already draws for it) in every text value bound.
///
/// These overloads are the one place: within this module every `bindings.append` of a `String` or
/// `[String]` (the `?` statements' values and the ingest's arrays alike) resolves to them rather than
/// to PostgresNIO's generic ones, so no statement can bind text another way.
enum PostgresText {
    static let nulSymbol: Unicode.Scalar = "\u{2400}"

    /// `text` with each NUL as ␀; the same string when it has none (nearly always).
    static func encoded(_ text: String) -> String {
        guard text.utf8.contains(0) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\0" ? nulSymbol : $0 }))
    }
}

extension PostgresBindings {
    mutating func append(_ text: String) { appendEncodable(PostgresText.encoded(text)) }

    mutating func append(_ texts: [String]) { appendEncodable(texts.map(PostgresText.encoded)) }

    /// PostgresNIO's own `append`: generic, so the overloads above are not chosen for it.
    private mutating func appendEncodable<Value: PostgresNonThrowingEncodable>(_ value: Value) { append(value) }
}
