import Foundation

/// Reads a configuration or theme file with the system's own words for what went wrong: Foundation
/// called a character device such as `/dev/null` a permission problem.
enum ConfigFile {
    struct Failure: Error {
        let reason: String
    }

    /// Files past this are not configuration: a mistaken path to a log or a disk image.
    static let largest = 16 << 20

    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        if status.st_mode & S_IFMT == S_IFDIR { throw Failure(reason: String(cString: strerror(EISDIR))) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes += chunk.prefix(count)
            if bytes.count > largest { throw Failure(reason: "larger than \(largest >> 20) MiB: not a configuration file") }
        }
    }
}
