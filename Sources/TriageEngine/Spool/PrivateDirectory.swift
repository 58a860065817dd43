import Foundation

/// Directories triage creates (the spool and its subdirectories, the store's, the analytics file's,
/// a generated spool) are their owner's alone, 0700, whatever the umask: they hold what producers
/// and users sent.
public enum PrivateDirectory {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates `path` and any missing parents, each 0700; leaves existing ones as they are.
    public static func create(_ path: String) throws(Failure) {
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", current != ".", !exists(current) {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for directory in missing.reversed() {
            guard mkdir(directory, 0o700) == 0 else {
                if errno == EEXIST { continue }
                throw Failure(description: "cannot create \(directory): \(String(cString: strerror(errno)))")
            }
            // mkdir's mode passes through the umask, which can only take bits away (0o777 takes all).
            chmod(directory, 0o700)
        }
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
