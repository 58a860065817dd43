/// UUIDs as the spec accepts them: any case, with or without dashes, optionally in braces or as a
/// `urn:uuid:` — the forms Python's `uuid.UUID` reads, which is what Sentry's producers emit.
enum UUIDText {
    /// The 32 lowercase hex digits of `text`, or nil if it is not a UUID.
    static func normalize(_ text: String) -> String? {
        if let plain = lowercasedIfPlainHex(text) { return plain }
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

    /// The common form, 32 lowercase hex digits, checked over its bytes without copying.
    private static func lowercasedIfPlainHex(_ text: String) -> String? {
        var text = text
        let plain = text.withUTF8 { bytes in
            bytes.count == 32 && bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }
        return plain ? text : nil
    }
}
