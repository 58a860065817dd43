/// A key press, as the driver reports it and keymaps name it.
public indirect enum Key: Hashable, Sendable, CustomStringConvertible {
    case character(Character)
    case control(Character)
    /// Alt (Meta) with a key: the terminal sends Esc first (`M-b`, `M-Backspace`, Alt-←).
    case alt(Key)
    /// An escape sequence no key is known by (`\e[25~`): read whole, so none of it arrives as typing.
    case unrecognized(String)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, backspace, delete, tab, backTab
    case resize
    case mouse(MouseEvent)
    /// Text the terminal pasted (bracketed paste): it goes into an input line, never runs as keys.
    case paste(String)

    /// Parses a key as written in the config and shown in help: `j`, `G`, `space`, `enter`, `esc`,
    /// `up`, `pgdn`, `ctrl-d`, `?`.
    public init?(name: String) {
        switch name.lowercased() {
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "home": self = .home
        case "end": self = .end
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "backspace": self = .backspace
        case "delete", "del": self = .delete
        case "tab": self = .tab
        case "space": self = .character(" ")
        default:
            if name.lowercased().hasPrefix("alt-"), let key = Key(name: String(name.dropFirst(4))) {
                self = .alt(key)
            } else if name.lowercased().hasPrefix("ctrl-"), name.count == 6 {
                self = .control(Character(name.suffix(1).lowercased()))
            } else if name.count == 1 {
                self = .character(Character(name))
            } else {
                return nil
            }
        }
    }

    /// The name in plain ASCII words, for screens that cannot draw glyphs: a one-column stand-in for
    /// `⏎` ("<") does not read as Enter.
    public var plainDescription: String {
        switch self {
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .enter: return "Enter"
        case .backspace: return "Backspace"
        case .backTab: return "Shift-Tab"
        case let .alt(key): return "M-\(key.plainDescription)"
        default: return description
        }
    }

    public var description: String {
        switch self {
        case let .character(character): return character == " " ? "space" : String(character)
        case let .control(character): return "Ctrl-\(character)"
        case let .alt(key): return "M-\(key)"
        case let .unrecognized(sequence): return "the key sending \(sequence)"
        case .paste: return "a paste"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .enter: return "⏎"
        case .escape: return "Esc"
        case .backspace: return "⌫"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "⇧Tab"
        case .resize: return "resize"
        case let .mouse(event): return "mouse \(event.kind) at \(event.x),\(event.y)"
        }
    }
}

/// A mouse click or wheel step at a screen cell.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case click, doubleClick, wheelUp, wheelDown }
    public let kind: Kind
    public let x: Int
    public let y: Int

    public init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
