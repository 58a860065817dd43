import TriageEngine

/// The details' seven days of hourly counts as a bar chart: a y axis in events per hour, a time axis
/// in days, and, for a group ignored until escalating, the forecast line its current hour must cross.
enum TrendChart {
    static let rows = 4

    /// `hours` oldest first, the last being the current hour. Each column shows the busiest hour of
    /// the hours it covers (as few as fit), so the axis stays "per hour" and the forecast comparable.
    static func lines(hours: [Int], forecast: Int?, width: Int, unicode: Bool) -> [[Span]] {
        guard !hours.isEmpty, width >= 30 else { return [] }
        let labelWidth = 6
        let room = width - labelWidth - 2 - 14
        let perColumn = max(1, (hours.count + room - 1) / room)
        let columns = (hours.count + perColumn - 1) / perColumn
        let peaks = (0..<columns).map { column in
            hours[(column * perColumn)..<min(hours.count, (column + 1) * perColumn)].max() ?? 0
        }
        let top = max(peaks.max() ?? 0, forecast ?? 0, 1)
        let ramp = unicode ? Sparkline.blocks : Sparkline.ascii
        let eighths = peaks.map { $0 == 0 ? 0 : Sparkline.level($0, of: top, levels: rows * 8) }
        // The row the forecast falls in, counted from the bottom.
        let forecastRow = forecast.map { min(rows - 1, max(0, Sparkline.level(max(1, $0), of: top, levels: rows * 8) - 1) / 8) }
        var lines: [[Span]] = [[Span(text: " Last 7 days", role: .title, attributes: [.bold]),
                                Span(text: "  events per hour\(perColumn > 1 ? ", busiest of each \(perColumn) h" : "")", role: .dim)]]
        for row in (0..<rows).reversed() {
            let label = row == rows - 1 ? GroupPresentation.count(top) : row == 0 ? "0" : ""
            var bars = ""
            for level in eighths {
                let fill = max(0, min(8, level - row * 8))
                bars.append(fill > 0 ? ramp[fill - 1] : row == forecastRow ? Character(unicode ? "┄" : Glyphs.ascii["┄"]!) : " ")
            }
            var line = [Span(text: String(repeating: " ", count: max(0, labelWidth - label.count)) + label + " " + (unicode ? "┤" : Glyphs.ascii["┤"]!), role: .dim),
                        Span(text: bars, role: .row)]
            if row == forecastRow, let forecast {
                line.append(Span(text: " forecast \(GroupPresentation.count(forecast))/h", role: .statusEscalating))
            }
            lines.append(line)
        }
        lines.append([Span(text: String(repeating: " ", count: labelWidth + 2) + axis(columns: columns, perColumn: perColumn, hours: hours.count), role: .dim)])
        return lines
    }

    /// Day marks under the bars ("-7d … -1d … now"), each where its hour falls.
    static func axis(columns: Int, perColumn: Int, hours: Int) -> String {
        var text = Array(repeating: Character(" "), count: columns + 3)
        func mark(_ label: String, at column: Int) {
            let start = max(0, min(column, text.count - label.count))
            guard text[start..<(start + label.count)].allSatisfy({ $0 == " " }),
                  start == 0 || text[start - 1] == " " else { return }
            for (offset, character) in label.enumerated() { text[start + offset] = character }
        }
        mark("now", at: columns - 1)
        for days in stride(from: hours / 24, through: 1, by: -1) {
            mark("-\(days)d", at: (hours - 1 - days * 24) / perColumn)
        }
        return String(String(text).reversed().drop { $0 == " " }.reversed())
    }
}
