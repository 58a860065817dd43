import Foundation

/// A pipe a thread polls alongside its other descriptors, so another thread (or a signal's dispatch
/// source) can wake it with a byte saying why. Both ends are non-blocking and close on exec.
public final class SelfPipe: @unchecked Sendable {
    /// The end to put in a `poll` set.
    public let readEnd: Int32
    private let writeEnd: Int32

    public init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Safe from any thread. A full pipe drops the byte, which is fine: one pending wake is enough.
    public func send(_ byte: UInt8) {
        var byte = byte
        _ = write(writeEnd, &byte, 1)
    }

    /// Everything sent since the last drain.
    public func drain() -> [UInt8] { Self.drain(readEnd) }

    /// Reads a non-blocking descriptor until it has nothing more.
    static func drain(_ descriptor: Int32) -> [UInt8] {
        var drained: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return drained }
            drained += buffer.prefix(count)
        }
    }
}
