import TriageEngine

/// What a cell is for; the theme turns roles into colours and attributes.
public enum Role: String, Sendable, CaseIterable, Hashable {
    case header, statusLine = "status_line", row, rowSelected = "row_selected", rowMarked = "row_marked"
    case evidenceImportant = "evidence_important"
    case levelFatal = "level_fatal", levelError = "level_error", levelWarning = "level_warning"
    case levelInfo = "level_info", levelDebug = "level_debug"
    case statusNew = "status_new", statusRegressed = "status_regressed", statusEscalating = "status_escalating"
    case statusResolved = "status_resolved", statusIgnored = "status_ignored"
    case border, errorMessage = "error_message", dim, title, key
}

/// Text attributes, independent of colour so they survive `NO_COLOR`.
public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1)
    public static let reverse = Attributes(rawValue: 2)
    public static let underline = Attributes(rawValue: 4)
    public static let dim = Attributes(rawValue: 8)
}

/// One terminal cell. A wide character occupies its cell (width 2) and the next (width 0).
public struct Cell: Sendable, Hashable {
    public var text: String
    public var width: UInt8
    public var role: Role
    public var attributes: Attributes

    public static let blank = Cell(text: " ", width: 1, role: .row, attributes: [])
}

/// The whole interface between the UI and the terminal: screens render into a grid, the driver
/// draws the cells that changed, and tests read it exactly as a user would see it.
public struct Grid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public internal(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Fills a rectangle with blanks of `role` (a row's background, a panel's body).
    public mutating func fill(_ rect: Rect, role: Role, attributes: Attributes = []) {
        for y in max(0, rect.y)..<min(height, rect.y + rect.height) {
            for x in max(0, rect.x)..<min(width, rect.x + rect.width) {
                clearWideCharacter(at: y * width + x, x: x, y: y)
                cells[y * width + x] = Cell(text: " ", width: 1, role: role, attributes: attributes)
            }
        }
    }

    /// Writes `text` at (x, y), sanitized (no control or bidi characters ever reach a cell), clipped
    /// at `maxColumns` and the grid's edge; a wide character that would straddle the limit is not
    /// drawn. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role, attributes: Attributes = [],
                             maxColumns: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width - x, maxColumns ?? Int.max)
        var column = 0
        var columns = TerminalText.Columns()
        for scalar in TerminalText.sanitize(text).unicodeScalars {
            let scalarWidth = columns.width(of: scalar)
            if scalarWidth == 0 {
                // A combining mark, or an emoji joined to the one before (👩‍💻), joins the previous cell:
                // a cell holds a whole grapheme cluster, as wide as the terminal draws it.
                if column > 0, x + column - 1 >= 0 { appendToPreviousCell(x: x + column - 1, y: y, scalar) }
                continue
            }
            if column + scalarWidth > limit { break }
            let index = y * width + x + column
            if x + column >= 0 {
                clearWideCharacter(at: index, x: x + column, y: y)
                if scalarWidth == 2 { clearWideCharacter(at: index + 1, x: x + column + 1, y: y) }
                cells[index] = Cell(text: String(scalar), width: UInt8(scalarWidth), role: role, attributes: attributes)
                if scalarWidth == 2 {
                    cells[index + 1] = Cell(text: "", width: 0, role: role, attributes: attributes)
                }
            }
            column += scalarWidth
        }
        return column
    }

    /// Before a cell is written over, the wide character it is half of becomes blanks (a terminal
    /// does the same), so no half of one is left to misalign what follows it (an overlay's border).
    private mutating func clearWideCharacter(at index: Int, x: Int, y: Int) {
        if cells[index].width == 0, x > 0, cells[index - 1].width == 2 {
            cells[index - 1] = Cell(text: " ", width: 1, role: cells[index - 1].role, attributes: cells[index - 1].attributes)
        } else if cells[index].width == 2, x + 1 < width {
            cells[index + 1] = Cell(text: " ", width: 1, role: cells[index].role, attributes: cells[index].attributes)
        }
    }

    private mutating func appendToPreviousCell(x: Int, y: Int, _ scalar: Unicode.Scalar) {
        var index = y * width + x
        if cells[index].width == 0, x > 0 { index -= 1 }
        cells[index].text.unicodeScalars.append(scalar)
    }

    /// The grid as plain text, one line per row, continuation cells omitted: what a screen capture shows.
    public var text: String {
        (0..<height).map { line($0) }.joined(separator: "\n")
    }

    public func line(_ y: Int) -> String {
        (0..<width).map { self[$0, y] }.filter { $0.width > 0 }.map(\.text).joined()
    }

    /// The rows whose text contains `needle`.
    public func rows(containing needle: String) -> [Int] {
        (0..<height).filter { line($0).contains(needle) }
    }
}

public struct Rect: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
