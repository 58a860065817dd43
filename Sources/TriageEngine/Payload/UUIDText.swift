/// UUIDs as the spec accepts them: any case, with or without dashes, optionally in braces or as a
/// `urn:uuid:` — the forms Python's `uuid.UUID` reads, which is what Sentry's producers emit.
enum UUIDText {
    /// The 32 lowercase hex digits of `text`, or nil if it is not a UUID.
    static func normalize(_ text: String) -> String? {
        var body = Substring(text)
        if body.hasPrefix("urn:uuid:") { body = body.dropFirst(9) }
        if body.hasPrefix("{") && body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        for byte in body.utf8 {
            if byte == UInt8(ascii: "-") { continue }
            guard hexValue(byte) != nil, hex.count < 32 else { return nil }
            hex.append(byte | 0x20)  // ASCII lowercase; digits are unaffected
        }
        return hex.count == 32 ? String(decoding: hex, as: UTF8.self) : nil
    }
}

/// A UUID's 16 bytes held inline: rows carry two (the occurrence's and its event's), and as arrays
/// they were two allocations per occurrence on the decode queue and two frees on the writer.
package struct UUIDBytes: Sendable, Hashable {
    private var high: UInt64 = 0
    private var low: UInt64 = 0

    /// From 32 hex digits (ids are normalised before they get here).
    init(hex: String) {
        var text = hex
        self = text.withUTF8 { UUIDBytes(hexDigits: $0) } ?? UUIDBytes()
    }

    private init() {}

    /// From exactly 32 hex digits of either case; nil for anything else.
    init?(hexDigits digits: UnsafeBufferPointer<UInt8>) {
        guard digits.count == 32 else { return nil }
        var valid = true
        withUnsafeMutableBytes(of: &self) { bytes in
            for index in 0..<16 {
                guard let high = hexValue(digits[2 * index]), let low = hexValue(digits[2 * index + 1]) else {
                    valid = false
                    return
                }
                bytes[index] = high << 4 | low
            }
        }
        guard valid else { return nil }
    }

    /// 32 lowercase hex digits.
    var hex: String {
        withUnsafeBytes { Array($0).hexString }
    }

    /// The bytes in order, as the store keeps them.
    package func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: self, body)
    }
}
