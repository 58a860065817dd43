import Synchronization

/// Revisions of details, unique across every `DetailState` (a group opened again never reuses
/// the lines built for it before), so one number says whether built lines still hold.
enum DetailRevision {
    private static let counter = Atomic<Int>(0)

    static func next() -> Int { counter.add(1, ordering: .relaxed).newValue }
}

/// The details' lines as last built, with what they were built from: rebuilding them (layout,
/// wrapping, the payload parsed) on every frame cost each scroll key the whole details again.
struct DetailLinesCache {
    struct Key: Equatable {
        let revision: Int
        let width: Int
        let unicode: Bool
        /// Relative ages ("3m ago") are part of the lines: they hold for the second they were built in.
        let second: Int64
    }

    private var key: Key?
    private var lines: [[Span]] = []
    /// How often the lines were built (tests read it).
    private(set) var builds = 0

    mutating func lines(for key: Key, build: () -> [[Span]]) -> [[Span]] {
        if key != self.key {
            lines = build()
            self.key = key
            builds += 1
        }
        return lines
    }
}
