/// Colour arithmetic for themes: names and `#rrggbb` to palette indexes, and indexes to the nearest
/// colour a terminal with fewer colours actually has.
public enum Palette {
    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// `red`, `bright-red`, `default`, or nil for an unknown name.
    public static func color(named name: String) -> TerminalColor? {
        let lowered = name.lowercased()
        if lowered == "default" { return .default }
        if let index = names.firstIndex(of: lowered) { return .index(UInt8(index)) }
        if lowered.hasPrefix("bright-"), let index = names.firstIndex(of: String(lowered.dropFirst(7))) {
            return .index(UInt8(index + 8))
        }
        return nil
    }

    /// `#rrggbb` to the nearest entry of the 256-colour palette's cube and grey ramp (16–255), which
    /// terminals agree on; 0–15 are left out because terminals remap those freely.
    public static func color(hex: String) -> TerminalColor? {
        guard hex.count == 7, hex.first == "#", let value = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        let rgb = RGB(r: Int(value >> 16 & 0xFF), g: Int(value >> 8 & 0xFF), b: Int(value & 0xFF))
        return .index(UInt8(nearest(to: rgb, among: 16...255)))
    }

    /// The colour to use on a terminal with `available` colours (8, 16, 256…).
    public static func fold(_ color: TerminalColor, available: Int) -> TerminalColor {
        guard case let .index(index) = color, Int(index) >= available else { return color }
        return .index(UInt8(nearest(to: rgb(ofIndex: Int(index)), among: 0...(available >= 16 ? 15 : 7))))
    }

    struct RGB: Equatable {
        let r, g, b: Int

        func distance(to other: RGB) -> Int {
            let (dr, dg, db) = (r - other.r, g - other.g, b - other.b)
            return dr * dr + dg * dg + db * db
        }
    }

    /// xterm's default palette.
    static func rgb(ofIndex index: Int) -> RGB {
        switch index {
        case 0..<16:
            let basic = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
                         (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
            return RGB(r: basic[index].0, g: basic[index].1, b: basic[index].2)
        case 16..<232:
            let levels = [0, 95, 135, 175, 215, 255]
            let cube = index - 16
            return RGB(r: levels[cube / 36], g: levels[cube / 6 % 6], b: levels[cube % 6])
        default:
            let grey = 8 + 10 * (index - 232)
            return RGB(r: grey, g: grey, b: grey)
        }
    }

    private static func nearest(to target: RGB, among candidates: ClosedRange<Int>) -> Int {
        candidates.min { rgb(ofIndex: $0).distance(to: target) < rgb(ofIndex: $1).distance(to: target) }!
    }
}
