import TOMLKit

/// One `[plugins.NAME]` table, read by its plugin. Errors name the plugin and the key; keys the
/// plugin never read are reported as unknown, so a typo does not pass silently.
public final class PluginSettings {
    /// The configured tracker's name: NAME in `[plugins.NAME]`.
    public let name: String
    private let table: TOMLTable
    private let file: String
    private var read: Set<String> = ["kind"]

    init(name: String, table: TOMLTable, file: String) {
        self.name = name
        self.table = table
        self.file = file
    }

    public func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, message: "plugins.\(name).\(key): \(message)")
    }

    public func string(_ key: String) throws(ConfigError) -> String? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw error(key, "must be a string") }
        return text
    }

    public func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let text = try string(key), !text.isEmpty else { throw error(key, "is required") }
        return text
    }

    public func strings(_ key: String) throws(ConfigError) -> [String]? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let list = value.array, (0..<list.count).allSatisfy({ list[$0].string != nil }) else {
            throw error(key, "must be a list of strings")
        }
        return (0..<list.count).map { list[$0].string! }
    }

    /// The program and its arguments; run without a shell.
    public func argv(_ key: String) throws(ConfigError) -> [String] {
        let example = "like [\"/usr/local/bin/ticket\", \"--new\"]; no shell"
        guard let argv = try strings(key), let program = argv.first else {
            throw error(key, "is required: the program (an absolute path) and its arguments, \(example)")
        }
        guard program.hasPrefix("/") else {
            throw error(key, "the program must be an absolute path, not \(Sanitized.quote(program)) (it runs without a shell or $PATH), \(example)")
        }
        return argv
    }

    /// A timeout in seconds, 10 unless set.
    public func timeout() throws(ConfigError) -> Double {
        read.insert("timeout")
        guard let value = table["timeout"] else { return 10 }
        guard let seconds = value.double ?? value.int.map(Double.init), seconds > 0, seconds <= 300 else {
            throw error("timeout", "must be a number of seconds between 0 and 300")
        }
        return seconds
    }

    /// An http:// or https:// URL.
    public func url(_ key: String, default fallback: String? = nil) throws(ConfigError) -> String {
        guard let url = try string(key) ?? fallback else { throw error(key, "is required") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw error(key, "must be an http:// or https:// URL") }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    func rejectUnread(kind: String) throws(ConfigError) {
        if let unknown = table.keys.sorted().first(where: { !read.contains($0) }) {
            throw error(unknown, "unknown setting for the \(kind) tracker (known: \(read.sorted().joined(separator: ", ")))")
        }
    }
}
