import Foundation

/// Names in `processed/` and `failed/`: the spool file's name, or for a reused one `NAME.1`,
/// `NAME.2`, …, shortened where needed so that it, and in `failed/` its sidecar, fits the file
/// system's 255 bytes. A name the producer chose never blocks the spool.
enum ArchiveName {
    /// NAME_MAX of every Linux file system triage runs on.
    static let maxBytes = 255
    static let sidecarSuffix = ".error.json"
    /// What a `failed/` name leaves room for: its sidecar's suffix.
    static let failedReserve = sidecarSuffix.utf8.count

    /// The name for the `attempt`th file called `name` (0: the first), with `reserve` bytes to spare.
    /// A name too long keeps its start (cut between characters), gains a hash of the whole name (so
    /// distinct names stay distinct) and keeps its extension (so it can be put back in the spool);
    /// the sidecar's `"file"` keeps the name as it was.
    static func name(for name: SpoolName, attempt: Int, reserve: Int) -> SpoolName {
        let counter = attempt == 0 ? [] : Array(".\(attempt)".utf8)
        let room = maxBytes - reserve - counter.count
        if name.bytes.count <= room { return SpoolName(name.bytes + counter) }
        let tag = Array("~\(hash(name.bytes))".utf8) + name.extensionBytes
        var kept = max(0, room - tag.count)
        // Not inside a UTF-8 sequence: continuation bytes are 10xxxxxx.
        while kept > 0, name.bytes[kept] & 0xC0 == 0x80 { kept -= 1 }
        return SpoolName(Array(name.bytes[..<kept]) + tag + counter)
    }

    static func sidecar(of stem: SpoolName) -> SpoolName {
        SpoolName(stem.bytes + Array(sidecarSuffix.utf8))
    }

    /// FNV-1a, 64 bits, in hex: stable across runs and builds, unlike `Hasher`.
    private static func hash(_ bytes: [UInt8]) -> String {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
