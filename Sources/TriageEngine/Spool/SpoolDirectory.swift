import CLinuxCalls
import Foundation

/// A spool file's name as the file system has it: bytes, which need not be UTF-8.
public struct SpoolName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { bytes = Array(text.utf8) }

    /// Byte order, as the spool contract requires (not locale order).
    /// memcmp compares unsigned bytes, which is that order; the generic comparison was a third of
    /// listing a spool of 50,000 files.
    public static func < (lhs: SpoolName, rhs: SpoolName) -> Bool {
        lhs.bytes.withUnsafeBufferPointer { left in
            rhs.bytes.withUnsafeBufferPointer { right in
                let common = min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }

    /// For messages and sidecars: invalid UTF-8 shown as U+FFFD, control characters escaped.
    public var description: String {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
    }

    var format: SpoolFormat? {
        if hasSuffix(".json") { return .json }
        if hasSuffix(".jsonl") || hasSuffix(".ndjson") { return .jsonLines }
        return nil
    }

    /// Without allocating: every file's format is asked for several times a pass.
    func hasSuffix(_ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard bytes.count > count else { return false }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + $0.count - count, suffix.utf8Start, count) == 0 }
    }

    /// On the stack, not `bytes + [0]`: every open, stat and rename of a file passes its name, and
    /// each made an array.
    func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            bytes.withUnsafeBytes { source in
                _ = UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, from: source)
            }
            buffer[bytes.count] = 0
            return try body(buffer.baseAddress!)
        }
    }
}

enum SpoolFormat {
    case json, jsonLines
}

/// The spool directory and its `processed/` and `failed/` subdirectories, reached through directory
/// descriptors so that names are used as bytes and never resolved outside the spool. Only the holder
/// of the spool lock (`SpoolIngestor`) lists, moves or writes.
public final class SpoolDirectory: @unchecked Sendable {
    public let path: String
    let descriptor: Int32
    let processed: Int32
    let failed: Int32
    /// The directory's device and inode: which spool a store's records of unfinished moves belong
    /// to (`PendingMoves`), whatever path reached it.
    let identity: SpoolIdentity

    public init(path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path + "/processed", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: path + "/failed", withIntermediateDirectories: true)
        } catch {
            throw SpoolError.cannotOpen(path: path, reason: error.localizedDescription)
        }
        descriptor = try Self.openDirectory(path)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SpoolError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        identity = SpoolIdentity(device: Int64(info.st_dev), inode: Int64(info.st_ino))
        processed = try Self.openDirectory(path + "/processed")
        failed = try Self.openDirectory(path + "/failed")
    }

    deinit {
        close(descriptor)
        close(processed)
        close(failed)
    }

    private static func openDirectory(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SpoolError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        return fd
    }

    /// Files ready to ingest, in byte order of their names: `*.json`, `*.jsonl`, `*.ndjson`, not dot-files,
    /// not `*.tmp`. Entries that are not regular files are reported in `skipped` with the reason.
    public func readyFiles() throws -> (ready: [SpoolName], skipped: [(SpoolName, String)]) {
        let duplicate = dup(descriptor)
        guard duplicate >= 0, let stream = fdopendir(duplicate) else {
            throw SpoolError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var ready: [SpoolName] = []
        var skipped: [(SpoolName, String)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                SpoolName(Array(raw.prefix { $0 != 0 }))
            }
            guard name.bytes.first != UInt8(ascii: "."), !name.hasSuffix(".tmp"), name.format != nil else { continue }
            // d_type saves a stat per file; the few file systems that report DT_UNKNOWN get one.
            var mode = Self.mode(ofDirectoryEntryType: entry.pointee.d_type)
            if mode == nil {
                var info = stat()
                guard name.withCString({ fstatat(descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else { continue }
                mode = info.st_mode & S_IFMT
            }
            if mode == S_IFREG {
                ready.append(name)
            } else if mode != S_IFDIR {
                skipped.append((name, Self.kindDescription(mode!)))
            }
        }
        return (ready.sorted(), skipped)
    }

    private static func mode(ofDirectoryEntryType type: UInt8) -> mode_t? {
        switch Int(type) {
        case Int(DT_REG): return S_IFREG
        case Int(DT_DIR): return S_IFDIR
        case Int(DT_LNK): return S_IFLNK
        case Int(DT_FIFO): return S_IFIFO
        case Int(DT_CHR): return S_IFCHR
        case Int(DT_BLK): return S_IFBLK
        case Int(DT_SOCK): return S_IFSOCK
        default: return nil
        }
    }

    static func kindDescription(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: return "is a symbolic link; producers must rename a regular file into the spool"
        case S_IFIFO: return "is a FIFO, not a regular file"
        case S_IFCHR, S_IFBLK: return "is a device file, not a regular file"
        case S_IFSOCK: return "is a socket, not a regular file"
        default: return "is not a regular file"
        }
    }

    /// The identity of the regular file `name` in the spool now; nil if there is none by that name.
    func identity(of name: SpoolName) -> FileIdentity? {
        var info = stat()
        guard name.withCString({ fstatat(descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileIdentity(info)
    }

    /// Moves `name` from the spool into `destination`, never replacing an earlier file of the same name
    /// (a producer may reuse names; the archive keeps both as `NAME`, `NAME.1`, ...).
    func move(_ name: SpoolName, to destination: Int32) throws {
        try Self.move(name, from: descriptor, to: destination)
    }

    /// Moves `name` from the directory `spool` to `destination`, keeping an existing file there.
    static func move(_ name: SpoolName, from spool: Int32, to destination: Int32) throws {
        var target = name
        var attempt = 0
        while true {
            let result = name.withCString { source in
                target.withCString { triage_renameat_noreplace(spool, source, destination, $0) }
            }
            // ENOENT: an earlier, interrupted run already moved it.
            if result == 0 || errno == ENOENT { return }
            guard errno == EEXIST else {
                throw SpoolError.cannotMove(name: name.description, reason: String(cString: strerror(errno)))
            }
            attempt += 1
            target = SpoolName(name.bytes + Array(".\(attempt)".utf8))
        }
    }

}

struct SpoolIdentity: Equatable {
    let device: Int64
    let inode: Int64
}

public enum SpoolError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case cannotMove(name: String, reason: String)
    case cannotWrite(name: String, reason: String)
    case busy(path: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open the spool \(path): \(reason)"
        case let .cannotMove(name, reason): return "cannot move spool file \(name): \(reason)"
        case let .cannotWrite(name, reason): return "cannot write failed/\(name): \(reason)"
        case let .busy(path): return "another triage process is ingesting the spool \(path); it will take these files"
        }
    }
}
