import Foundation
import Glibc

/// A tmux session of its own (a private socket), 120×40, running one command in a clean environment.
public final class TmuxPane {
    public let socket: String
    public let name = "triage"

    /// After the command ends, the pane shows `EXITED <status>` and the terminal's line discipline
    /// (`TTY icanon echo` when it was given back properly, `-icanon -echo` when left raw).
    public init(command: String, home: String, term: String = "tmux-256color", width: Int = 120, height: Int = 40) throws {
        socket = home + "/tmux.sock"
        let environment = "env -i HOME=\(home) XDG_DATA_HOME=\(home)/data XDG_CONFIG_HOME=\(home)/config PATH=/usr/bin:/bin TERM=\(term) LANG=C.UTF-8"
        let afterwards = "echo EXITED $?; echo TTY $(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '); sleep 60"
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "\(environment) \(command); \(afterwards)"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    public static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    public func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    public func screen(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []))
    }

    /// Polls the screen until `condition` holds on a settled screen (the same in two captures 50 ms
    /// apart), or about 5 seconds pass; returns the last screen.
    ///
    /// Settled, because a capture can land while the UI is part-way through drawing a frame: a
    /// panel's title already on the screen and its rows not yet. Timing a keystroke on a screen
    /// that keeps changing wants the first capture that differs: `settled: false`.
    public func waitFor(escapes: Bool = false, settled: Bool = true, _ condition: (String) -> Bool) throws -> String {
        var text = ""
        var previous: String?
        for _ in 0..<100 {
            text = try screen(escapes: escapes)
            if condition(text) {
                if !settled || text == previous { return text }
                previous = text
            } else {
                previous = nil
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return text
    }

    /// Runs tmux and returns its standard output.
    ///
    /// Not through Foundation's `Process`: `new-session` forks the tmux server, which would inherit
    /// the descriptor `Process` watches for the child's exit (and any pipe), so `waitUntilExit`
    /// would wait for the server's whole life. Here the child starts with only stdin/out/err open.
    @discardableResult
    public func tmux(_ arguments: [String]) throws -> String {
        let outputPath = socket + ".out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        _ = Self.addCloseFrom(&actions, 3)

        // Nor does it inherit the test runner's signal mask and dispositions: a blocked SIGWINCH
        // would reach the UI under test never, and resizes would go unnoticed.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = (["/usr/bin/tmux", "-S", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module
    /// does not export.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("glibc 2.34 or later is needed for posix_spawn_file_actions_addclosefrom_np")
        }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
}
