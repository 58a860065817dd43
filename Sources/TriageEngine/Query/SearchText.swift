import Foundation

/// Free text as it is stored for search (title, subtitle and culprit, folded once at write time) and
/// as it is searched for: one folding for both, so a plain substring match in either store (SQLite's
/// `instr` and trigram index, PostgreSQL's `LIKE` and `pg_trgm`) finds what a person means.
///
/// The fold is NFKC, then lower case: a decomposed `é` (e + U+0301) and a precomposed one are the
/// same text, and so are full-width `ＡＰＩ` and `api`, or `ﬁ` and `fi`; lower-casing comes after,
/// since compatibility mapping can give capitals (`ℌ` → `H`).
public enum SearchText {
    static func fold(_ headline: OccurrenceHeadline) -> String {
        fold("\(headline.title)\n\(headline.subtitle)\n\(headline.culprit)")
    }

    public static func fold(_ text: String) -> String {
        // ASCII is the same in every normal form: most titles skip the normalisation.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        return text.precomposedStringWithCompatibilityMapping.lowercased()
    }
}
