import CLinuxCalls
import Foundation

/// Who a file is, as far as resuming is concerned: if any of these differ, it is a different file.
///
/// The change time tells a file that never left the spool from one moved out and back in as it was
/// (same inode, size and modification time): a rename sets it. A ledger row a killed run left for
/// the first is work to finish; for the second it is stale, and the file is new work.
package struct FileIdentity: Hashable, Sendable {
    package let device: Int64
    package let inode: Int64
    package let size: Int64
    package let mtimeNanoseconds: Int64
    package let ctimeNanoseconds: Int64

    package init(device: Int64, inode: Int64, size: Int64, mtimeNanoseconds: Int64, ctimeNanoseconds: Int64 = 0) {
        self.device = device
        self.inode = inode
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.ctimeNanoseconds = ctimeNanoseconds
    }
}

extension FileIdentity {
    init(_ info: stat) {
        self.init(device: Int64(bitPattern: UInt64(info.st_dev)), inode: Int64(bitPattern: UInt64(info.st_ino)), size: Int64(info.st_size),
                  mtimeNanoseconds: Self.nanoseconds(info.st_mtim), ctimeNanoseconds: Self.nanoseconds(info.st_ctim))
    }

    /// Saturating: anyone may date a file past the year 2262 or before 1678, where nanoseconds
    /// since 1970 overflow 64 bits.
    private static func nanoseconds(_ time: timespec) -> Int64 {
        let (scaled, overflow) = Int64(time.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return time.tv_sec < 0 ? .min : .max }
        let (sum, carried) = scaled.addingReportingOverflow(Int64(time.tv_nsec))
        return carried ? .max : sum
    }
}

/// An open spool file. Opened without following links and checked to be a regular file after opening,
/// so a file swapped for a FIFO or link between listing and reading is refused, not waited on.
final class SpoolFile: Sendable {
    let name: SpoolName
    let descriptor: Int32
    let identity: FileIdentity

    enum OpenResult: Sendable {
        case opened(SpoolFile)
        case vanished
        case unusable(String)
    }

    static func open(_ name: SpoolName, in directory: SpoolDirectory) -> OpenResult {
        open(name, inDirectory: directory.descriptor)
    }

    static func open(_ name: SpoolName, inDirectory directory: Int32) -> OpenResult {
        // Without an access-time update: with relatime, the first read of each new file would
        // otherwise write its inode.
        let fd = name.withCString { triage_openat_without_atime(directory, $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard fd >= 0 else {
            switch errno {
            case ENOENT: return .vanished
            case ELOOP: return .unusable(SpoolDirectory.kindDescription(S_IFLNK))
            default: return .unusable("cannot be opened: \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            return .unusable("cannot be read: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return .unusable(SpoolDirectory.kindDescription(info.st_mode))
        }
        return .opened(SpoolFile(name: name, descriptor: fd, identity: FileIdentity(info)))
    }

    private init(name: SpoolName, descriptor: Int32, identity: FileIdentity) {
        self.name = name
        self.descriptor = descriptor
        self.identity = identity
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// The file's bytes (at most `maxBytes`), and a copy of it holding no descriptor, to keep in its
    /// place (this one closes when released): what the writer needs of a file read ahead is its name
    /// and identity, and a descriptor held open for each of the hundreds read ahead would run into
    /// the process's limit. The copy cannot be read again. Nil for a larger file or a read error:
    /// the writer opens and reads it itself.
    func readWhole(atMost maxBytes: Int) -> (file: SpoolFile, bytes: [UInt8])? {
        guard identity.size <= Int64(maxBytes), let bytes = try? read(at: 0, count: Int(identity.size)) else { return nil }
        return (SpoolFile(name: name, descriptor: -1, identity: identity), bytes)
    }

    /// The size now, which may differ from `identity.size` if the file changed after it was opened.
    func currentSize() -> Int64? {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? Int64(status.st_size) : nil
    }

    /// Reads `count` bytes at `offset`; fewer only at end of file.
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        // Uninitialized: zero-filling first wrote every page once more before pread did.
        var failure: Int32?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, filled in
            filled = 0
            while filled < count {
                let result = pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
                if result < 0, errno == EINTR { continue }
                guard result >= 0 else { failure = errno; return }
                if result == 0 { break }
                filled += result
            }
        }
        if let failure { throw SpoolError.cannotOpen(path: name.description, reason: String(cString: strerror(failure))) }
        return bytes
    }
}

/// One line of a JSON-lines file.
struct SpoolLine {
    /// 1-based line number.
    let number: Int
    let offset: Int64
    /// Length without the newline (and without a trailing carriage return).
    let length: Int
    /// Nil when the line is longer than the payload limit; it was skipped without being held in memory.
    let bytes: [UInt8]?
    /// Offset just past this line's newline: where to resume.
    let end: Int64
}

/// Reads lines in large chunks up to a fixed end (the size when the file was claimed). Memory stays
/// bounded by the chunk size plus the payload limit, whatever the file's size or line lengths.
struct LineReader {
    /// Bytes read at a time, unless a payload may be longer.
    static let chunkBytes = 4 << 20

    private let file: SpoolFile
    private var end: Int64
    private let maxLineBytes: Int
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var bufferOffset: Int64
    private var cursor = 0
    private var lineNumber: Int

    init(file: SpoolFile, from offset: Int64, line: Int, maxLineBytes: Int) {
        self.file = file
        end = file.identity.size
        self.maxLineBytes = maxLineBytes
        chunkSize = max(Self.chunkBytes, maxLineBytes + 1)
        bufferOffset = offset
        lineNumber = line
    }

    mutating func next() throws -> SpoolLine? {
        var overlong: (start: Int64, length: Int)?
        while true {
            if let newline = newline(from: cursor) {
                let start = bufferOffset + Int64(cursor)
                let line = finishLine(contentEnd: newline, start: start, overlong: overlong)
                cursor = newline + 1
                return line
            }
            let consumedTo = bufferOffset + Int64(buffer.count)
            if consumedTo >= end, let grown = file.currentSize(), grown > end {
                // A producer appended while we read (the spool contract asks for a rename, but what
                // was appended must not leave with the file unread): read on to the new end.
                end = grown
            }
            if consumedTo >= end {
                // Last line without a trailing newline.
                guard cursor < buffer.count || overlong != nil else {
                    // A file read ahead of the writer keeps its reader until applied: not its chunk.
                    buffer = []
                    bufferOffset = consumedTo
                    cursor = 0
                    return nil
                }
                let start = bufferOffset + Int64(cursor)
                let line = finishLine(contentEnd: buffer.count, start: start, overlong: overlong)
                cursor = buffer.count
                return line
            }
            if buffer.count - cursor > maxLineBytes {
                // Too long to be a payload: remember where it started and drop what we have of it.
                let start = overlong?.start ?? bufferOffset + Int64(cursor)
                overlong = (start, (overlong?.length ?? 0) + buffer.count - cursor)
                bufferOffset += Int64(buffer.count)
                buffer.removeAll(keepingCapacity: true)
                cursor = 0
            }
            try refill(until: consumedTo)
        }
    }

    /// memchr: the generic `firstIndex(of:)` went byte by byte (~6% of decoding).
    private func newline(from start: Int) -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            guard start < bytes.count, let base = bytes.baseAddress,
                  let found = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private mutating func refill(until consumedTo: Int64) throws {
        buffer.removeSubrange(0..<cursor)
        bufferOffset += Int64(cursor)
        cursor = 0
        let wanted = Int(min(Int64(chunkSize), end - consumedTo))
        let chunk = try file.read(at: consumedTo, count: wanted)
        // A short read means the file shrank after it was claimed: what we have is the end.
        if chunk.count < wanted { end = consumedTo + Int64(chunk.count) }
        // Most refills start on a line boundary (a file read whole, say): take the chunk as it is,
        // rather than copying a megabyte into fresh pages the kernel must zero first.
        if buffer.isEmpty { buffer = chunk } else { buffer.append(contentsOf: chunk) }
    }

    private mutating func finishLine(contentEnd: Int, start: Int64, overlong: (start: Int64, length: Int)?) -> SpoolLine {
        lineNumber += 1
        let lineEnd = bufferOffset + Int64(contentEnd) + 1
        if let overlong {
            return SpoolLine(number: lineNumber, offset: overlong.start, length: overlong.length + contentEnd - cursor,
                             bytes: nil, end: min(lineEnd, end))
        }
        var contentLast = contentEnd
        if contentLast > cursor, buffer[contentLast - 1] == 0x0D { contentLast -= 1 }
        let length = contentLast - cursor
        return SpoolLine(number: lineNumber, offset: start, length: length,
                         bytes: length > maxLineBytes ? nil : Array(buffer[cursor..<contentLast]), end: min(lineEnd, end))
    }
}
