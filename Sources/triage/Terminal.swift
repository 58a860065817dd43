import Foundation

/// Facts about standard output that decide how human-readable output looks.
enum Terminal {
    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Colour only on a terminal, and never when NO_COLOR is set (to any value).
    static var colorEnabled: Bool { isTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    static var columns: Int {
        var size = winsize()
        if isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 120
    }
}
