import Foundation

/// Directories triage creates (the store's, the Markdown tracker's, the analytics file's) are its
/// owner's alone, like the files in them: each missing component is made 0700, whatever the umask.
public enum PrivateDirectory {
    /// Creates `path` and any missing parents; an existing directory is left as it is.
    public static func create(_ path: String) throws(PrivateDirectoryFailure) {
        var built = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            built += "/" + component
            guard mkdir(built, 0o700) != 0 else { continue }
            let failure = errno
            var status = stat()
            guard failure == EEXIST, stat(built, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw PrivateDirectoryFailure(path: built, reason: String(cString: strerror(failure == EEXIST ? ENOTDIR : failure)))
            }
        }
    }
}

public struct PrivateDirectoryFailure: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot create \(path): \(reason)" }
}
