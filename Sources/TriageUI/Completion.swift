/// Several candidates for the word at the cursor: the line holds their common start (or the one
/// `Tab` stepped to) in `range`, and they are listed under it.
public struct Completion: Sendable, Equatable {
    public let candidates: [String]
    /// The candidate in the line; nil while it holds only their common start.
    public var index: Int?
    var range: Range<Int>

    /// Whether a further `Tab` steps through the list instead of completing afresh.
    var steps: Bool { candidates.count > 1 }

    /// `Tab` (or `Shift-Tab`, `backwards`) again: puts the next (previous) candidate in `line` where
    /// the last one was. Every input line steps through its candidates this one way.
    mutating func step(backwards: Bool, in line: inout LineEditor) {
        let count = candidates.count
        guard count > 0 else { return }
        let next = ((index ?? (backwards ? 0 : -1)) + (backwards ? -1 : 1) + count) % count
        line.replace(range, with: candidates[next])
        range = range.lowerBound..<range.lowerBound + candidates[next].count
        index = next
    }
}
