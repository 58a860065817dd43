import Foundation

/// The durable sink: one JSON object per line, appended and synced; rotated by size (`path.1` is
/// the newest rotated file). Several processes (the TUI, `triage ingest`, scripts) may share it:
/// an exclusive `flock` covers check, rotation and append, and a writer that finds the file rotated
/// under it reopens.
public struct AnalyticsSink: Sendable {
    public let path: String
    public let maxBytes: Int
    public let keep: Int

    public init(path: String, maxBytes: Int, keep: Int) {
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
    }

    public func append(_ line: [UInt8]) throws(SinkFailure) { try append([line]) }

    /// Appends the lines with one write and one sync; they go to one file (rotated first if needed).
    public func append(_ lines: [[UInt8]]) throws(SinkFailure) {
        var bytes: [UInt8] = []
        for line in lines { bytes += line + [0x0A] }
        let descriptor = try openCurrent()
        defer { close(descriptor) }
        var status = stat()
        fstat(descriptor, &status)
        if status.st_size > 0, Int(status.st_size) + bytes.count > maxBytes {
            rotate()
            let fresh = try openCurrent()
            defer { close(fresh) }
            try write(bytes, to: fresh)
        } else {
            try write(bytes, to: descriptor)
        }
    }

    /// The current file, locked, and still the one at `path` (another writer may have rotated it
    /// between our open and our lock).
    private func openCurrent() throws(SinkFailure) -> Int32 {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? PrivateDirectory.create(directory) }
        while true {
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw SinkFailure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
            while flock(descriptor, LOCK_EX) != 0, errno == EINTR {}
            var opened = stat()
            var current = stat()
            if fstat(descriptor, &opened) == 0, stat(path, &current) == 0, opened.st_ino == current.st_ino, opened.st_dev == current.st_dev {
                return descriptor
            }
            close(descriptor)
        }
    }

    /// `path.(keep-1)` → `path.keep` (the oldest falls off), ..., `path` → `path.1`.
    private func rotate() {
        unlink("\(path).\(keep)")
        for index in stride(from: keep - 1, through: 1, by: -1) { rename("\(path).\(index)", "\(path).\(index + 1)") }
        rename(path, "\(path).1")
    }

    private func write(_ bytes: [UInt8], to descriptor: Int32) throws(SinkFailure) {
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw SinkFailure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

public struct SinkFailure: Error, CustomStringConvertible {
    public let description: String
}
