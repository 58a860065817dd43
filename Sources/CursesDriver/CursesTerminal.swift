import CNcursesw
import Foundation
import TriageUI

/// The terminal, through ncursesw. The only type that calls curses: it draws the cells of a `Grid`
/// that changed since the last frame and turns input into `Key`s.
public final class CursesTerminal {
    public enum StartError: Error, CustomStringConvertible {
        case noTerminal(String)

        public var description: String {
            switch self {
            case let .noTerminal(term):
                return "the terminal UI needs a terminal with cursor addressing (TERM=\(term.isEmpty ? "unset" : term)); use `triage list` instead"
            }
        }
    }

    private let screen: OpaquePointer
    private var previous: Grid?
    private var pairs: [Style: (pair: Int16, attributes: attr_t)] = [:]
    /// Changing the theme drops the colour pairs made for the old one and redraws everything.
    public var theme: Theme {
        didSet {
            pairs.removeAll()
            previous = nil
        }
    }
    private let colors: Bool
    private var stopped = false

    /// Takes over the terminal: alternate screen, raw keys (Ctrl-C arrives as a key), no echo, hidden cursor.
    public init(theme: Theme, color: Bool, mouse: Bool) throws {
        setlocale(LC_ALL, "")
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb", let screen = triage_newterm() else { throw StartError.noTerminal(term) }
        self.screen = screen
        self.theme = theme
        triage_install_crash_handlers()
        raw()
        noecho()
        nonl()
        keypad(triage_stdscr(), true)
        nodelay(triage_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        triage_mouse(mouse)
        mouseOn = mouse
        triage_bracketed_paste(true)
        colors = color && has_colors()
        if colors {
            start_color()
            use_default_colors()
        }
    }

    deinit { stop() }

    /// Gives the terminal back exactly as it was. Safe to call more than once.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        triage_mouse(false)
        triage_bracketed_paste(false)
        endwin()
        delscreen(screen)
    }

    public func setMouse(_ on: Bool) {
        mouseOn = on
        triage_mouse(on)
    }

    private var mouseOn: Bool

    /// Gives the terminal back while `body` runs (a pager), then takes it again and redraws it whole.
    public func suspend(_ body: () -> Void) {
        triage_mouse(false)
        triage_bracketed_paste(false)
        endwin()
        body()
        refresh()
        triage_mouse(mouseOn)
        triage_bracketed_paste(true)
        previous = nil
    }

    /// Forgets what is on the screen, so the next frame clears and redraws every cell (Ctrl-L).
    public func repaint() { previous = nil }

    /// The terminal's bell (or its visual flash, as the user set it up).
    public func bell() { beep() }

    /// Puts `text` on the clipboard of the terminal the user sits at, through OSC 52 (wrapped so
    /// tmux or screen passes it on). Works over SSH; needs no clipboard tool on this machine.
    public func copyToClipboard(_ text: String) {
        let environment = ProcessInfo.processInfo.environment
        let multiplexer: ClipboardSequence.Multiplexer = environment["TMUX"] != nil ? .tmux
            : (environment["TERM"] ?? "").hasPrefix("screen") ? .screen : .none
        let sequence = ClipboardSequence.osc52(text, multiplexer: multiplexer)
        // Straight to the terminal: curses flushed its own output at the last refresh.
        _ = sequence.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }

    public var size: (width: Int, height: Int) { (Int(triage_cols()), Int(triage_lines())) }

    /// Draws the cells that differ from the previous frame (everything after a resize), then refreshes once.
    public func draw(_ grid: Grid) {
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { clear() }
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                let cell = grid[x, y]
                if cell.width == 0 { x += 1; continue }
                if full || previous![x, y] != cell || (cell.width == 2 && x + 1 < grid.width && previous![x + 1, y] != grid[x + 1, y]) {
                    put(cell, x: x, y: y)
                }
                x += Int(cell.width)
            }
        }
        previous = grid
        refresh()
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        let (pair, attributes) = appearance(cell)
        // A cell holds one spacing character and at most four marks for curses (CCHARW_MAX); an emoji
        // joined by ZWJ (👩‍💻) is drawn as its first picture, never with a joiner left to fuse with
        // the next cell.
        var scalars = cell.text.unicodeScalars.prefix { $0.value != 0x200D }.prefix(5).map { wchar_t(bitPattern: $0.value) }
        scalars.append(0)
        _ = triage_put_cell(Int32(y), Int32(x), scalars, attributes, pair)
    }

    private func appearance(_ cell: Cell) -> (Int16, attr_t) {
        var style = theme.style(cell.role)
        style.attributes.formUnion(cell.attributes)
        if let known = pairs[style] { return known }
        var attributes = triage_a_normal()
        if style.attributes.contains(.bold) { attributes |= triage_a_bold() }
        if style.attributes.contains(.reverse) { attributes |= triage_a_reverse() }
        if style.attributes.contains(.underline) { attributes |= triage_a_underline() }
        if style.attributes.contains(.dim) { attributes |= triage_a_dim() }
        var pair: Int16 = 0
        if colors, style.foreground != .default || style.background != .default {
            let next = Int16(Set(pairs.values.map(\.pair)).count + 1)
            if Int32(next) < triage_color_pairs() {
                init_pair(next, curses(style.foreground), curses(style.background))
                pair = next
            }
        }
        pairs[style] = (pair, attributes)
        return (pair, attributes)
    }

    /// Palette index for curses: -1 is the terminal's default; colours beyond what the terminal has
    /// fall back to the nearest it does have.
    private func curses(_ color: TerminalColor) -> Int16 {
        switch Palette.fold(color, available: Int(triage_colors())) {
        case .default: return -1
        case let .index(index): return Int16(index)
        }
    }

    /// Input read but not yet turned into a key (what followed an Esc that turned out not to be a
    /// sequence, such as a second Esc).
    private var pending: [Input] = []

    private enum Input {
        case character(UInt32)
        case function(Int32)
    }

    /// The next key, or nil when none is waiting. An Esc and whatever follows it within a short pause
    /// are read as one key (`EscapeSequence`), so no part of a sequence curses does not know arrives
    /// as typing.
    public func readKey() -> Key? {
        guard let first = nextInput(waitingMilliseconds: 0) else { return nil }
        guard case .character(0x1B) = first else { return key(for: first) }
        var tail: [Unicode.Scalar] = []
        while true {
            // The rest of a sequence is already here (curses read it while matching its own table):
            // the pause only has to cover a slow link.
            guard let next = nextInput(waitingMilliseconds: 30) else { return EscapeSequence.ended(tail) }
            guard case let .character(value) = next, let scalar = Unicode.Scalar(value) else {
                // A resize or a mouse event is nothing typed: the Esc before it was the Esc key, and
                // the event is handled next (an Alt-resize would be lost, leaving the old size drawn).
                if case let .function(code) = next, code == triage_key_resize() || code == triage_key_mouse() {
                    pending.append(next)
                    return .escape
                }
                if tail.isEmpty, let key = key(for: next) { return .alt(key) }
                pending.append(next)
                return EscapeSequence.ended(tail)
            }
            tail.append(scalar)
            if case let .key(key, consumed) = EscapeSequence.read(tail) {
                pending += tail.dropFirst(consumed).map { .character($0.value) }
                return tail == EscapeSequence.pasteStart ? readPaste() : key
            }
        }
    }

    /// What the terminal pasted, up to the end marker: characters only (a key curses made of pasted
    /// bytes is dropped). A paste whose end never comes ends at the first pause.
    private func readPaste() -> Key {
        var scalars: [Unicode.Scalar] = []
        let end = EscapeSequence.pasteEnd
        while let input = nextInput(waitingMilliseconds: 200) {
            guard case let .character(value) = input, let scalar = Unicode.Scalar(value) else { continue }
            scalars.append(scalar)
            if scalars.count >= end.count, Array(scalars.suffix(end.count)) == end {
                scalars.removeLast(end.count)
                break
            }
        }
        return .paste(String(String.UnicodeScalarView(scalars)))
    }

    private func nextInput(waitingMilliseconds wait: Int32) -> Input? {
        if !pending.isEmpty { return pending.removeFirst() }
        if wait > 0 { wtimeout(triage_stdscr(), wait) }
        defer { if wait > 0 { wtimeout(triage_stdscr(), 0) } }
        var character: wint_t = 0
        let result = get_wch(&character)
        if result == triage_err() { return nil }
        return result == triage_key_code_yes() ? .function(Int32(character)) : .character(UInt32(character))
    }

    private func key(for input: Input) -> Key? {
        switch input {
        case let .function(code): return code == triage_key_mouse() ? Self.mouseKey() : Self.functionKey(code)
        case let .character(value): return Key.forCharacter(value)
        }
    }

    private static func mouseKey() -> Key? {
        var x: Int32 = 0
        var y: Int32 = 0
        let kinds: [Int32: MouseEvent.Kind] = [1: .click, 2: .doubleClick, 3: .wheelUp, 4: .wheelDown]
        guard let kind = kinds[triage_mouse_event(&x, &y)] else { return nil }
        return .mouse(MouseEvent(kind: kind, x: Int(x), y: Int(y)))
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case triage_key_up(): return .up
        case triage_key_down(): return .down
        case triage_key_left(): return .left
        case triage_key_right(): return .right
        case triage_key_home(): return .home
        case triage_key_end(): return .end
        case triage_key_ppage(): return .pageUp
        case triage_key_npage(): return .pageDown
        case triage_key_backspace(): return .backspace
        case triage_key_dc(): return .delete
        case triage_key_enter(): return .enter
        case triage_key_resize(): return .resize
        case triage_key_btab(): return .backTab
        default:
            let name = keyname(code).map { String(cString: $0) }
            switch name {
            // Ctrl- and Alt-arrows, which terminfo names by modifier (kLFT5 is Ctrl-←): a word.
            case "kLFT3", "kLFT5": return .alt(.left)
            case "kRIT3", "kRIT5": return .alt(.right)
            // A key curses knows and triage does not (F1…): one key that does nothing, not the end of input.
            default: return .unrecognized(name ?? "key \(code)")
            }
        }
    }
}
