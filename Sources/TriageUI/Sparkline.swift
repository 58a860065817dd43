/// Hourly counts drawn as one row of block characters, scaled to the largest cell: the list's TREND
/// column (24 h) answers "is it getting worse?" at a glance.
enum Sparkline {
    /// Eight heights, lowest first.
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// The same eight heights for terminals that cannot show the blocks (`--no-unicode`, a non-UTF-8 locale).
    static let ascii: [Character] = blocks.map { Character(Glyphs.ascii[String($0)]!) }

    /// `counts` oldest first, summed into `cells` cells (each covering `counts.count / cells` hours,
    /// the older cells one more when it does not divide); a cell with no events is a space, any
    /// other is at least the lowest block, so one event in a quiet day still shows.
    static func render(_ counts: [Int], cells: Int, unicode: Bool) -> String {
        let sums = buckets(counts, cells: cells)
        let peak = sums.max() ?? 0
        let ramp = unicode ? blocks : ascii
        return String(sums.map { sum -> Character in
            guard sum > 0, peak > 0 else { return " " }
            return ramp[level(sum, of: peak, levels: ramp.count) - 1]
        })
    }

    /// 1...levels for a positive `value` up to `peak` (the peak is the top level).
    static func level(_ value: Int, of peak: Int, levels: Int) -> Int {
        let scaled = (Double(value) / Double(peak) * Double(levels)).rounded(.up)
        return max(1, min(levels, Int(scaled)))
    }

    /// `counts` in `cells` consecutive runs, summed; the runs differ in length by at most one.
    static func buckets(_ counts: [Int], cells: Int) -> [Int] {
        guard cells > 0 else { return [] }
        return (0..<cells).map { cell in
            let start = cell * counts.count / cells
            let end = (cell + 1) * counts.count / cells
            return counts[start..<end].reduce(0, +)
        }
    }
}
