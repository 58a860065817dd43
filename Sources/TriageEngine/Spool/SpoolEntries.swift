import Foundation

/// What counts as an entry of a spool and of its `failed/`: one owner for the ingest pass (which
/// names it takes up) and for anyone counting a backlog from outside the spool lock (the UI header).
public enum SpoolEntries {
    /// A name an ingest pass takes up: `*.json`, `*.jsonl`, `*.ndjson`, not a dot-file, not `*.tmp`.
    static func isIngestName(_ name: SpoolName) -> Bool {
        !isProducersWork(name) && name.format != nil
    }

    /// A dot-file or `*.tmp`: a producer's file still being written, never read nor named.
    private static func isProducersWork(_ name: SpoolName) -> Bool {
        name.bytes.first == UInt8(ascii: ".") || name.hasSuffix(".tmp")
    }

    /// Why a name no pass takes up stays unread, for the producer who put it there; nil for the
    /// names that are meant to wait (dot-files, `*.tmp`, the spool's own directories).
    static func whyUnread(_ name: SpoolName, isDirectory: Bool) -> String? {
        let text = name.text
        if isProducersWork(name) { return nil }
        if isDirectory { return ["processed", "failed"].contains(text) ? nil : "is a directory; only files directly in the spool are read" }
        if SpoolName(text.lowercased()).format != nil {
            return "has an upper-case extension; only .json, .jsonl and .ndjson (lower case) are read"
        }
        return "is not a .json, .jsonl or .ndjson file"
    }

    /// Entries waiting in the spool at `path`: every one a pass would take up, whatever its kind (a
    /// regular file is ingested, a link or a FIFO is moved to `failed/` with why); directories aside.
    public static func waiting(inSpool path: String) -> Int {
        count(in: path, where: isIngestName)
    }

    /// Entries in the spool's `failed/`: every file moved there, whatever its kind (links and FIFOs
    /// are moved as they are), not the `NAME.error.json` that says why each failed.
    public static func failed(inSpool path: String) -> Int {
        count(in: path + "/failed") { $0.bytes.first != UInt8(ascii: ".") && !$0.hasSuffix(".error.json") }
    }

    /// A listing, no stat and no sort: the count is taken once a second on a spool of any size.
    private static func count(in directory: String, where include: (SpoolName) -> Bool) -> Int {
        guard let stream = opendir(directory) else { return 0 }
        defer { closedir(stream) }
        var total = 0
        while let entry = readdir(stream) {
            // A directory is never an entry; DT_UNKNOWN (a few file systems) is counted rather than stat'ed.
            guard entry.pointee.d_type != UInt8(DT_DIR) else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in SpoolName(Array(raw.prefix { $0 != 0 })) }
            if include(name) { total += 1 }
        }
        return total
    }
}
