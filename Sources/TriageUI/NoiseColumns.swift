/// The widths of the noise overlay's columns in a box `inner` columns wide. The project and the
/// counts are never cut (they are what the overlay is read for); the title gives first, then the
/// type's slug and the fingerprint, then the title goes, so every line fits without losing its end.
struct NoiseColumns: Equatable {
    private(set) var slug: Int
    private(set) var fingerprint: Int
    /// Zero when the title column is left out.
    private(set) var title: Int

    init(inner: Int, projectWidth: Int, statsWidth: Int, slug: Int, fingerprint: Int, title: Int) {
        self.slug = min(28, slug)
        self.fingerprint = min(24, fingerprint)
        self.title = min(40, title)
        // "SLUG  PN  FINGERPRINT  TITLE  STATS": the gaps and the columns that never give.
        let room = inner - (2 + 1 + projectWidth) - (2 + statsWidth)
        func over() -> Int { self.slug + 2 + self.fingerprint + (self.title > 0 ? 2 + self.title : 0) - room }
        func give(_ column: WritableKeyPath<NoiseColumns, Int>, downTo floor: Int) {
            let excess = over()
            guard excess > 0, self[keyPath: column] > floor else { return }
            self[keyPath: column] -= min(excess, self[keyPath: column] - floor)
        }
        give(\.title, downTo: 12)
        give(\.slug, downTo: 12)
        give(\.fingerprint, downTo: 8)
        give(\.title, downTo: 8)
        if over() > 0 { self.title = 0 }
        give(\.slug, downTo: 4)
        give(\.fingerprint, downTo: 4)
    }
}
