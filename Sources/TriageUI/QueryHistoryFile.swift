import Foundation

/// The `/` history across runs: `$XDG_STATE_HOME/triage/history` (`~/.local/state/...`), one query a
/// line, newest last, the newest `limit` kept. Several TUIs may run at once: each save appends the
/// queries this session ran to what the file holds then, under an `flock` on `history.lock`, so no
/// session overwrites another's. A history that cannot be read or written costs only the history,
/// never the session.
public final class QueryHistoryFile {
    public static let limit = 500
    let path: String
    /// How many of the entries handed to `save` came from the file (the rest are this session's).
    private var loaded = 0

    public convenience init(environment: [String: String]) {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        self.init(path: state + "/triage/history")
    }

    init(path: String) {
        self.path = path
    }

    public func load() -> [String] {
        let entries = read()
        loaded = entries.count
        return entries
    }

    /// Appends the queries added to `entries` since `load` to the file as it is now, bounded.
    public func save(_ entries: [String]) {
        // A query never holds a line break (Enter ends it), but a line must never split into two.
        let added = entries.dropFirst(loaded).filter { !$0.contains(where: \.isNewline) && !$0.isEmpty }
        // A session that ran no query leaves no trace.
        guard !added.isEmpty else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { return }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0, errno == EINTR {}
        var merged = read()
        for entry in added where merged.last != entry { merged.append(entry) }
        let lines = merged.suffix(Self.limit)
        let text = lines.joined(separator: "\n") + "\n"
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path) == 0 { loaded = entries.count }
    }

    private func read() -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return Array(text.split(separator: "\n").map(String.init).suffix(Self.limit))
    }
}
