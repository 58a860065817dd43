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

    /// The name as text, for JSON (sidecars, analytics), which escapes what it must: invalid UTF-8
    /// shown as U+FFFD, nothing else changed.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// For messages on a terminal: invalid UTF-8 shown as U+FFFD; controls, bidi overrides and
    /// invisible characters escaped as `\u{…}`, so a name can neither act on the terminal nor read
    /// as another.
    public var description: String {
        text.unicodeScalars.map { scalar in
            let value = scalar.value
            return value < 0x20 || value == 0x7F || TerminalText.isInvisibleOrReordering(value)
                ? "\\u{\(String(value, radix: 16))}" : String(scalar)
        }.joined()
    }

    /// `.json`, `.jsonl` or `.ndjson` as the name ends; empty for any other name.
    var extensionBytes: [UInt8] {
        switch format {
        case .json: Array(".json".utf8)
        case .jsonLines: Array((hasSuffix(".jsonl") ? ".jsonl" : ".ndjson").utf8)
        case nil: []
        }
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
    package let identity: SpoolIdentity

    public init(path: String) throws {
        self.path = path
        do { try PrivateDirectory.create(path) } catch {
            throw SpoolError.cannotOpen(path: path, reason: error.description)
        }
        // The spool itself may be reached through a link: the operator chose its path.
        descriptor = try Self.openDirectory(path)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SpoolError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        identity = SpoolIdentity(info)
        processed = try Self.openSubdirectory("processed", of: descriptor, spoolPath: path)
        failed = try Self.openSubdirectory("failed", of: descriptor, spoolPath: path)
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

    /// `processed/` or `failed/`, created 0700 if missing, and opened without following a link:
    /// whoever may write the spool could otherwise point `failed` at any directory and have triage
    /// write files of their choosing there. Anything but a directory is refused, named.
    private static func openSubdirectory(_ name: String, of spool: Int32, spoolPath: String) throws -> Int32 {
        let path = spoolPath + "/" + name
        let created = mkdirat(spool, name, 0o700) == 0
        guard created || errno == EEXIST else { throw SpoolError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        let fd = openat(spool, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let failure = errno
            var info = stat()
            if fstatat(spool, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT != S_IFDIR {
                throw SpoolError.notADirectory(path: path, mode: info.st_mode & S_IFMT)
            }
            throw SpoolError.cannotOpen(path: path, reason: String(cString: strerror(failure)))
        }
        // The umask can only have taken bits away from 0700; a umask of 0777 takes the owner's too.
        if created { fchmod(fd, 0o700) }
        return fd
    }

    /// Throws unless `path` still leads to the directory opened: a spool deleted or renamed (and
    /// perhaps recreated) under a follower would otherwise leave it watching a directory no producer
    /// can reach, while another ingester takes the new one.
    func checkStillAtPath() throws {
        var info = stat()
        guard stat(path, &info) == 0, SpoolIdentity(info) == identity else {
            throw SpoolError.replaced(path: path)
        }
    }

    /// Files ready to ingest, in byte order of their names: `*.json`, `*.jsonl`, `*.ndjson`, not dot-files,
    /// not `*.tmp`. Entries that are not regular files are reported in `skipped` with the reason;
    /// those no pass takes up (another extension, a directory) in `unread`, with why, so that a
    /// producer's `.JSON` or `.txt` is not left waiting without a word.
    public func readyFiles() throws -> (ready: [SpoolName], skipped: [(SpoolName, String)], unread: [(SpoolName, String)]) {
        let duplicate = dup(descriptor)
        guard duplicate >= 0, let stream = fdopendir(duplicate) else {
            throw SpoolError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var ready: [SpoolName] = []
        var skipped: [(SpoolName, String)] = []
        var unread: [(SpoolName, String)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                SpoolName(Array(raw.prefix { $0 != 0 }))
            }
            guard SpoolEntries.isIngestName(name) else {
                if let reason = SpoolEntries.whyUnread(name, isDirectory: entry.pointee.d_type == UInt8(DT_DIR)) { unread.append((name, reason)) }
                continue
            }
            // d_type saves a stat per file; the few file systems that report DT_UNKNOWN get one.
            var mode = Self.mode(ofDirectoryEntryType: entry.pointee.d_type)
            if mode == nil {
                var info = stat()
                guard name.withCString({ fstatat(descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else { continue }
                mode = info.st_mode & S_IFMT
            }
            if mode == S_IFREG {
                ready.append(name)
            } else if mode == S_IFDIR {
                if let reason = SpoolEntries.whyUnread(name, isDirectory: true) { unread.append((name, reason)) }
            } else {
                skipped.append((name, Self.kindDescription(mode!)))
            }
        }
        return (ready.sorted(), skipped, unread.sorted { $0.0 < $1.0 })
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
    /// (a producer may reuse names; the archive keeps both as `NAME`, `NAME.1`, ...). `identity`: the
    /// file that was read, when another one may have been renamed onto its name since.
    func move(_ name: SpoolName, to destination: Int32, identity: SpoolIdentity? = nil) throws {
        try Self.move(SpoolMove(name: name, destination: destination, reserve: destination == failed ? ArchiveName.failedReserve : 0,
                                identity: identity),
                      from: descriptor)
    }

    /// Moves a file from the directory `spool` to its archive name, or the first later one that is free.
    ///
    /// Only the file that was read: a producer may rename another file onto the name between the
    /// read and the move. One found under the name before the rename stays for the next pass; one
    /// that slips in between the check and the rename is put back into the spool at once.
    static func move(_ move: SpoolMove, from spool: Int32) throws {
        var info = stat()
        if move.name.withCString({ fstatat(spool, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 {
            if let expected = move.identity, SpoolIdentity(info) != expected { return }
            if let expected = move.expectedSize, Int64(info.st_size) > expected { return }
        }
        var attempt = move.firstAttempt
        while true {
            let target = ArchiveName.name(for: move.name, attempt: attempt, reserve: move.reserve)
            let result = move.name.withCString { source in
                target.withCString { triage_renameat_noreplace(spool, source, move.destination, $0) }
            }
            // ENOENT: an earlier, interrupted run already moved it.
            if result == 0 {
                if let expected = move.identity { try returnIfReplaced(target, expected: expected, move: move, to: spool) }
                return
            }
            if errno == ENOENT { return }
            guard errno == EEXIST else {
                throw SpoolError.cannotMove(name: move.name.description, reason: String(cString: strerror(errno)))
            }
            attempt += 1
        }
    }

    /// Puts a file moved to `target` back into the spool if it is not the one that was read: under
    /// its own name, or, if yet another file has taken that, under a `returned-` name of its own.
    static func returnIfReplaced(_ target: SpoolName, expected: SpoolIdentity, move: SpoolMove, to spool: Int32) throws {
        var info = stat()
        guard target.withCString({ fstatat(move.destination, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0, SpoolIdentity(info) != expected
        else { return }
        var returned = move.name
        for attempt in 1... {
            let result = target.withCString { source in
                returned.withCString { triage_renameat_noreplace(move.destination, source, spool, $0) }
            }
            if result == 0 { return }
            guard errno == EEXIST else {
                throw SpoolError.cannotMove(name: move.name.description, reason: "it was replaced while being moved and cannot go back: "
                                            + String(cString: strerror(errno)))
            }
            returned = ArchiveName.name(for: SpoolName(Array("returned-\(attempt)-".utf8) + move.name.bytes), attempt: 0, reserve: 0)
        }
    }
}

/// A spool file on its way to `processed/` or `failed/`: the archive name to try first (a file
/// refused whole goes where its sidecar was written) and the bytes its name leaves for a sidecar.
struct SpoolMove {
    let name: SpoolName
    let destination: Int32
    var firstAttempt = 0
    var reserve = 0
    /// The size it had when it was read to its end: a file larger now was appended to since (by a
    /// producer writing in place) and stays for the next pass, which reads it again.
    var expectedSize: Int64?
    /// The file that was read; nil where nothing was read (a FIFO or link quarantined by name).
    var identity: SpoolIdentity?
}

package struct SpoolIdentity: Equatable {
    package let device: Int64
    package let inode: Int64
}

extension SpoolIdentity {
    init(_ info: stat) {
        self.init(device: Int64(bitPattern: UInt64(info.st_dev)), inode: Int64(bitPattern: UInt64(info.st_ino)))
    }

    /// The file, whatever its size and times.
    init(_ file: FileIdentity) { self.init(device: file.device, inode: file.inode) }
}

public enum SpoolError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case cannotMove(name: String, reason: String)
    case cannotWrite(name: String, reason: String)
    case busy(path: String)
    case notADirectory(path: String, mode: mode_t)
    case replaced(path: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open the spool \(path): \(reason)"
        case let .cannotMove(name, reason): return "cannot move spool file \(name): \(reason)"
        case let .cannotWrite(name, reason): return "cannot write failed/\(name): \(reason)"
        case let .busy(path): return "another triage process is ingesting the spool \(path); it will take these files"
        case let .notADirectory(path, mode):
            switch mode {
            case S_IFLNK: return "\(path) is a symbolic link; triage never writes through a link: replace it with a directory"
            case S_IFREG: return "\(path) is a regular file, not a directory; move it out of the spool"
            default: return "\(path) is not a directory; move it out of the spool"
            }
        case let .replaced(path):
            return "the spool \(path) was deleted or replaced while triage followed it; start triage again to follow the directory now there"
        }
    }
}
