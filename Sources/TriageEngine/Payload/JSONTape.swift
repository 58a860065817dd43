/// A validated JSON document stored as a flat "tape" of nodes that point into the original bytes.
///
/// Why not Foundation: `JSONDecoder` decodes about 24k occurrence-sized objects per second here, far
/// below the ingest target, and it builds a tree we mostly throw away. The tape is built in one pass
/// that checks the full grammar, UTF-8 validity, escapes and nesting depth; values are decoded only
/// when a field is read, and large sub-objects (`evidence_data`, `event`) stay as byte ranges.
///
/// A class: every `JSONValue` holds its document, and copying one reference rather than two arrays
/// halved the reference counting of decoding.
public final class JSONDocument: Sendable {
    public let bytes: [UInt8]
    let nodes: [JSONNode]

    /// Parses `bytes` completely; throws on the first syntax error, invalid UTF-8 or excess depth.
    public init(bytes: [UInt8], maxDepth: Int = 64) throws(JSONSyntaxError) {
        var parser = JSONTapeParser(maxDepth: maxDepth)
        nodes = try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
            try parser.parse(buffer)
        }
        self.bytes = bytes
    }

    /// The top-level value.
    public var root: JSONValue { JSONValue(document: self, index: 0) }
}

enum JSONKind: UInt8, Sendable {
    case object, array, string, number, `true`, `false`, null
}

struct JSONNode: Sendable {
    var kind: JSONKind
    /// For strings: the content contains backslash escapes and must be unescaped when read.
    /// For numbers: the literal has a fraction or an exponent.
    var flag: Bool
    /// Byte range of the value. Strings exclude their quotes; containers include their brackets.
    var start: Int32
    var end: Int32
    /// Index of the node after this value's subtree (its next sibling).
    var next: Int32
}

/// Where and why a document is not acceptable JSON.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedByte(UInt8, expected: String)
        case invalidUTF8
        case controlCharacterInString
        case invalidEscape
        case loneSurrogate
        case invalidNumber
        case tooDeep(limit: Int)
        case trailingData
    }

    public let reason: Reason
    public let offset: Int

    public var description: String {
        switch reason {
        case .unexpectedEnd where offset == 0: return "invalid JSON: the payload is empty"
        case .unexpectedEnd: return "invalid JSON: unexpected end of input at byte \(offset)"
        case let .unexpectedByte(byte, expected):
            let found = "invalid JSON at byte \(offset): found \(Self.describe(byte)), expected \(expected)"
            return Self.encodingHint(byte, at: offset).map { "\(found) (\($0); payloads are UTF-8 JSON)" } ?? found
        case .invalidUTF8: return "invalid UTF-8 at byte \(offset)"
        case .controlCharacterInString: return "invalid JSON at byte \(offset): unescaped control character in string"
        case .invalidEscape: return "invalid JSON at byte \(offset): invalid escape sequence"
        case .loneSurrogate: return "invalid JSON at byte \(offset): \\u escape is an unpaired UTF-16 surrogate"
        case .invalidNumber: return "invalid JSON at byte \(offset): malformed number"
        case let .tooDeep(limit): return "JSON nested deeper than \(limit) levels at byte \(offset)"
        case .trailingData:
            return "invalid JSON at byte \(offset): data after the end of the value (a .json file holds one payload; a .jsonl file one per line)"
        }
    }

    /// What the first bytes of text in another encoding look like to a UTF-8 parser: producers
    /// on other platforms write byte-order marks and UTF-16.
    private static func encodingHint(_ byte: UInt8, at offset: Int) -> String? {
        switch (offset, byte) {
        case (0, 0xEF): return "a UTF-8 byte-order mark"
        case (0, 0xFF), (0, 0xFE): return "a UTF-16 byte-order mark: the text is UTF-16"
        case (1, 0x00), (0, 0x00): return "a NUL byte: UTF-16 or binary data"
        default: return nil
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}

/// One-pass recursive-descent parser. Recursion depth is bounded by `maxDepth`, checked before descending.
struct JSONTapeParser {
    let maxDepth: Int
    private var nodes: [JSONNode] = []
    private var position = 0

    init(maxDepth: Int) { self.maxDepth = maxDepth }

    mutating func parse(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> [JSONNode] {
        // About one node per 12 bytes in occurrence payloads; reserving that avoids regrowing.
        nodes.reserveCapacity(64 + input.count / 12)
        skipWhitespace(input)
        try parseValue(input, depth: 0)
        skipWhitespace(input)
        if position != input.count { throw fail(.trailingData) }
        return nodes
    }

    private func fail(_ reason: JSONSyntaxError.Reason) -> JSONSyntaxError {
        JSONSyntaxError(reason: reason, offset: position)
    }

    private mutating func skipWhitespace(_ input: UnsafeBufferPointer<UInt8>) {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func parseValue(_ input: UnsafeBufferPointer<UInt8>, depth: Int) throws(JSONSyntaxError) {
        guard position < input.count else { throw fail(.unexpectedEnd) }
        switch input[position] {
        case UInt8(ascii: "{"): try parseObject(input, depth: depth + 1)
        case UInt8(ascii: "["): try parseArray(input, depth: depth + 1)
        case UInt8(ascii: "\""): try parseString(input)
        case UInt8(ascii: "t"): try parseLiteral(input, "true", .true)
        case UInt8(ascii: "f"): try parseLiteral(input, "false", .false)
        case UInt8(ascii: "n"): try parseLiteral(input, "null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber(input)
        case let byte: throw fail(.unexpectedByte(byte, expected: "a JSON value"))
        }
    }

    private mutating func openContainer(_ kind: JSONKind, depth: Int) throws(JSONSyntaxError) -> Int {
        if depth > maxDepth { throw fail(.tooDeep(limit: maxDepth)) }
        nodes.append(JSONNode(kind: kind, flag: false, start: Int32(position), end: 0, next: 0))
        position += 1
        return nodes.count - 1
    }

    private mutating func closeContainer(_ index: Int) {
        position += 1
        nodes[index].end = Int32(position)
        nodes[index].next = Int32(nodes.count)
    }

    private mutating func parseObject(_ input: UnsafeBufferPointer<UInt8>, depth: Int) throws(JSONSyntaxError) {
        let index = try openContainer(.object, depth: depth)
        skipWhitespace(input)
        if position < input.count, input[position] == UInt8(ascii: "}") { return closeContainer(index) }
        while true {
            guard position < input.count else { throw fail(.unexpectedEnd) }
            guard input[position] == UInt8(ascii: "\"") else {
                throw fail(.unexpectedByte(input[position], expected: "a string key"))
            }
            try parseString(input)
            skipWhitespace(input)
            try expect(input, UInt8(ascii: ":"), "':'")
            skipWhitespace(input)
            try parseValue(input, depth: depth)
            guard try continues(input, closing: UInt8(ascii: "}"), index, expected: "',' or '}'") else { return }
        }
    }

    private mutating func parseArray(_ input: UnsafeBufferPointer<UInt8>, depth: Int) throws(JSONSyntaxError) {
        let index = try openContainer(.array, depth: depth)
        skipWhitespace(input)
        if position < input.count, input[position] == UInt8(ascii: "]") { return closeContainer(index) }
        while true {
            try parseValue(input, depth: depth)
            guard try continues(input, closing: UInt8(ascii: "]"), index, expected: "',' or ']'") else { return }
        }
    }

    /// After an object's member or an array's element: a comma, past which another follows (true),
    /// or `close`, which closes the container at `index` (false).
    @inline(__always)
    private mutating func continues(_ input: UnsafeBufferPointer<UInt8>, closing close: UInt8, _ index: Int,
                                    expected: String) throws(JSONSyntaxError) -> Bool {
        skipWhitespace(input)
        guard position < input.count else { throw fail(.unexpectedEnd) }
        let byte = input[position]
        if byte == UInt8(ascii: ",") {
            position += 1
            skipWhitespace(input)
            return true
        }
        guard byte == close else { throw fail(.unexpectedByte(byte, expected: expected)) }
        closeContainer(index)
        return false
    }

    private mutating func expect(_ input: UnsafeBufferPointer<UInt8>, _ byte: UInt8, _ name: String) throws(JSONSyntaxError) {
        guard position < input.count else { throw fail(.unexpectedEnd) }
        guard input[position] == byte else { throw fail(.unexpectedByte(input[position], expected: name)) }
        position += 1
    }

    private mutating func parseLiteral(_ input: UnsafeBufferPointer<UInt8>, _ word: StaticString, _ kind: JSONKind) throws(JSONSyntaxError) {
        let start = position
        let length = word.utf8CodeUnitCount
        guard input.count - position >= length else { throw fail(.unexpectedEnd) }
        for offset in 0..<length where input[position + offset] != word.utf8Start[offset] {
            position += offset
            throw fail(.unexpectedByte(input[position], expected: "'\(word)'"))
        }
        position += length
        nodes.append(JSONNode(kind: kind, flag: false, start: Int32(start), end: Int32(position), next: Int32(nodes.count + 1)))
    }

    private mutating func parseNumber(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        let start = position
        var isFloat = false
        if input[position] == UInt8(ascii: "-") { position += 1 }
        guard position < input.count else { throw fail(.unexpectedEnd) }
        if input[position] == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(input[position]) {
            while position < input.count, isDigit(input[position]) { position += 1 }
        } else {
            throw fail(.invalidNumber)
        }
        if position < input.count, input[position] == UInt8(ascii: ".") {
            isFloat = true
            position += 1
            try requireDigits(input)
        }
        if position < input.count, input[position] | 0x20 == UInt8(ascii: "e") {
            isFloat = true
            position += 1
            if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") {
                position += 1
            }
            try requireDigits(input)
        }
        nodes.append(JSONNode(kind: .number, flag: isFloat, start: Int32(start), end: Int32(position), next: Int32(nodes.count + 1)))
    }

    private mutating func requireDigits(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        guard position < input.count, isDigit(input[position]) else { throw fail(.invalidNumber) }
        while position < input.count, isDigit(input[position]) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Strings are most of a payload's bytes: the scan runs on a local index over the raw pointer and
    /// writes `position` back only around the rarer paths (escapes, multibyte scalars, errors).
    private mutating func parseString(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        guard let base = input.baseAddress else { throw fail(.unexpectedEnd) }
        let count = input.count
        var index = position + 1
        let start = index
        var escaped = false
        while true {
            index = Self.skipPlainASCII(base, from: index, count: count)
            guard index < count else {
                position = index
                throw fail(.unexpectedEnd)
            }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                nodes.append(JSONNode(kind: .string, flag: escaped, start: Int32(start), end: Int32(index), next: Int32(nodes.count + 1)))
                position = index + 1
                return
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                position = index
                try validateEscape(input)
                index = position
            } else if byte < 0x20 {
                position = index
                throw fail(.controlCharacterInString)
            } else if byte < 0x80 {
                index += 1
            } else {
                position = index
                try validateMultibyteScalar(input)
                index = position
            }
        }
    }

    /// The index of the next quote, backslash, control character or non-ASCII byte at or after
    /// `index`, found eight bytes at a time (or `index` itself when fewer than eight remain): most
    /// string bytes are none of these, and the byte loop was a sixth of decoding.
    /// A matching byte sets its high bit in `special`; a borrow may also flag bytes above it, never
    /// below, so the lowest flag is exact (the word is read little-endian: lowest address first).
    private static func skipPlainASCII(_ base: UnsafePointer<UInt8>, from index: Int, count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = index
        while index + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (word &- ones &* 0x20) | word) & highs
            guard special == 0 else { return index + special.trailingZeroBitCount / 8 }
            index += 8
        }
        return index
    }

    private mutating func validateEscape(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        guard position + 1 < input.count else { throw fail(.unexpectedEnd) }
        switch input[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            let unit = try hexQuad(input, at: position + 2)
            if (0xDC00...0xDFFF).contains(unit) { throw fail(.loneSurrogate) }
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate must be followed by an escaped low surrogate to form one scalar.
                guard position + 7 < input.count, input[position + 6] == UInt8(ascii: "\\"), input[position + 7] == UInt8(ascii: "u"),
                      (0xDC00...0xDFFF).contains(try hexQuad(input, at: position + 8))
                else { throw fail(.loneSurrogate) }
                position += 12
            } else {
                position += 6
            }
        default:
            throw fail(.invalidEscape)
        }
    }

    private func hexQuad(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONSyntaxError) -> UInt32 {
        guard offset + 4 <= input.count else { throw fail(.unexpectedEnd) }
        var value: UInt32 = 0
        for index in offset..<(offset + 4) {
            guard let digit = hexValue(input[index]) else { throw fail(.invalidEscape) }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Checks one UTF-8 encoded scalar of two to four bytes (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    private mutating func validateMultibyteScalar(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        let lead = input[position]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw fail(.invalidUTF8)
        }
        guard position + length <= input.count else { throw fail(.invalidUTF8) }
        let second = input[position + 1]
        guard second >= lowerBound, second <= upperBound else { throw fail(.invalidUTF8) }
        for offset in 2..<max(length, 2) where input[position + offset] & 0xC0 != 0x80 {
            throw fail(.invalidUTF8)
        }
        position += length
    }
}

func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
