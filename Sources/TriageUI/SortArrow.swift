/// The sort's direction on screen, drawn one way wherever it is shown (column heading, header,
/// help): the arrow after the name, "LAST SEEN↓", "sort events↑".
enum SortArrow {
    static func glyph(ascending: Bool) -> String { ascending ? "↑" : "↓" }

    static func label(_ name: String, ascending: Bool) -> String { name + glyph(ascending: ascending) }
}
