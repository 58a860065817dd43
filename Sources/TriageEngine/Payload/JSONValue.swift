import Foundation

/// A read-only view of one value in a `JSONDocument`. Decoding happens here, on demand.
public struct JSONValue: Sendable {
    let document: JSONDocument
    let index: Int

    private var node: JSONNode { document.nodes[index] }

    public var isNull: Bool { node.kind == .null }
    public var isObject: Bool { node.kind == .object }
    public var isArray: Bool { node.kind == .array }
    public var isString: Bool { node.kind == .string }
    public var isNumber: Bool { node.kind == .number }
    /// A number written without a fraction or an exponent.
    public var isInteger: Bool { node.kind == .number && !node.flag }

    /// A JSON type name for error messages ("string", "integer", ...).
    public var typeName: String {
        switch node.kind {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .number: return node.flag ? "number" : "integer"
        case .true, .false: return "boolean"
        case .null: return "null"
        }
    }

    /// The value's exact bytes in the source document (strings without their quotes).
    public var rawBytes: ArraySlice<UInt8> { document.bytes[Int(node.start)..<Int(node.end)] }

    /// The value's JSON text as it appeared in the source, quotes included for strings.
    public var rawJSON: ArraySlice<UInt8> {
        let node = self.node
        return node.kind == .string
            ? document.bytes[Int(node.start) - 1..<Int(node.end) + 1]
            : document.bytes[Int(node.start)..<Int(node.end)]
    }

    public var bool: Bool? {
        switch node.kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    /// The string's decoded content, or nil when the value is not a string.
    public var string: String? {
        guard node.kind == .string else { return nil }
        let node = self.node
        if !node.flag {
            return document.bytes.withUnsafeBufferPointer { buffer in
                // Validated as UTF-8 by the parser, so no repair happens here.
                String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(node.start)..<Int(node.end)]), as: UTF8.self)
            }
        }
        return String(decoding: JSONUnescaper.unescape(document.bytes[Int(node.start)..<Int(node.end)]), as: UTF8.self)
    }

    /// A string of exactly 32 hex digits (either case) as bytes, read without making a `String`.
    var plainHexUUID: UUIDBytes? {
        let node = self.node
        guard node.kind == .string, !node.flag, node.end - node.start == 32 else { return nil }
        return document.bytes.withUnsafeBufferPointer { UUIDBytes(hexDigits: UnsafeBufferPointer(rebasing: $0[Int(node.start)..<Int(node.end)])) }
    }

    /// The value as a 64-bit integer if it is an integer literal in range (no fraction, no exponent).
    public var int64: Int64? {
        guard node.kind == .number, !node.flag else { return nil }
        var value: Int64 = 0
        let bytes = rawBytes
        var iterator = bytes.startIndex
        let negative = bytes[iterator] == UInt8(ascii: "-")
        if negative { iterator += 1 }
        while iterator < bytes.endIndex {
            let digit = Int64(bytes[iterator] - UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
            iterator += 1
        }
        return value
    }

    /// The value as a finite double if it is a number.
    public var double: Double? {
        guard node.kind == .number else { return nil }
        if !node.flag, let integer = int64 { return Double(integer) }
        if let decimal = plainDecimal { return decimal }
        let text = String(decoding: rawBytes, as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// `-?digits.digits` with at most 15 significant digits, without a string or `strtod` (every
    /// occurrence's detection time is one): the digits as an integer and the power of ten are both
    /// exact doubles, so their quotient is the correctly rounded value, as `strtod`'s would be.
    private var plainDecimal: Double? {
        let bytes = rawBytes
        var index = bytes.startIndex
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var digits: Int64 = 0
        var count = 0
        var fractionDigits = -1
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                fractionDigits = 0
            } else {
                guard byte &- UInt8(ascii: "0") < 10, count < 15 else { return nil }
                digits = digits * 10 + Int64(byte &- UInt8(ascii: "0"))
                count += 1
                if fractionDigits >= 0 { fractionDigits += 1 }
            }
            index += 1
        }
        guard fractionDigits >= 0 else { return nil }
        let value = Double(digits) / Self.powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...15).map { exponent in (0..<exponent).reduce(1.0) { value, _ in value * 10 } }

    /// Object members in document order; empty for non-objects.
    public var members: JSONMembers { JSONMembers(document: document, container: index) }

    /// Array elements in document order; empty for non-arrays.
    public var elements: JSONElements { JSONElements(document: document, container: index) }

    /// The first member with this key. Linear: payload objects are small, and most lookups happen
    /// through `JSONMembers` in a single pass anyway.
    public subscript(key: String) -> JSONValue? {
        var key = key
        return key.withUTF8 { keyBytes in
            members.first { $0.keyEquals(keyBytes) }?.value
        }
    }
}

public struct JSONMember: Sendable {
    let document: JSONDocument
    let keyIndex: Int

    public var key: String { JSONValue(document: document, index: keyIndex).string ?? "" }
    public var value: JSONValue { JSONValue(document: document, index: keyIndex + 1) }

    /// The key's length in the document, escapes included.
    var rawKeyLength: Int { Int(document.nodes[keyIndex].end - document.nodes[keyIndex].start) }
    var isKeyEscaped: Bool { document.nodes[keyIndex].flag }

    func keyEquals(_ candidate: StaticString) -> Bool {
        keyEquals(UnsafeBufferPointer(start: candidate.utf8Start, count: candidate.utf8CodeUnitCount))
    }

    /// Compares the key with `candidate` without allocating (escaped keys take the slow path).
    func keyEquals(_ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
        let node = document.nodes[keyIndex]
        if node.flag { return Array(JSONUnescaper.unescape(document.bytes[Int(node.start)..<Int(node.end)])) == Array(candidate) }
        let length = Int(node.end - node.start)
        guard length == candidate.count else { return false }
        return document.bytes.withUnsafeBufferPointer { buffer in
            memcmp(buffer.baseAddress! + Int(node.start), candidate.baseAddress!, length) == 0
        }
    }
}

public struct JSONMembers: Sequence, Sendable {
    let document: JSONDocument
    let container: Int

    public struct Iterator: IteratorProtocol {
        var children: JSONChildren

        public mutating func next() -> JSONMember? {
            children.next().map { JSONMember(document: children.document, keyIndex: $0) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(children: JSONChildren(document, container, .object)) }
}

public struct JSONElements: Sequence, Sendable {
    let document: JSONDocument
    let container: Int

    public struct Iterator: IteratorProtocol {
        var children: JSONChildren

        public mutating func next() -> JSONValue? {
            children.next().map { JSONValue(document: children.document, index: $0) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(children: JSONChildren(document, container, .array)) }
}

/// Walks a container's children on the tape: the node of each member's key, or of each element,
/// in document order; none if the container is not of the `kind` asked for.
struct JSONChildren: Sendable {
    let document: JSONDocument
    private var cursor: Int
    private let end: Int
    /// How far past a child's first node its value lies, whose `next` is the following child: a
    /// member's value follows its key.
    private let valueOffset: Int

    init(_ document: JSONDocument, _ container: Int, _ kind: JSONKind) {
        self.document = document
        let node = document.nodes[container]
        cursor = container + 1
        end = node.kind == kind ? Int(node.next) : 0
        valueOffset = kind == .object ? 1 : 0
    }

    mutating func next() -> Int? {
        guard cursor < end else { return nil }
        let child = cursor
        cursor = Int(document.nodes[cursor + valueOffset].next)
        return child
    }
}

/// Decodes JSON string escapes. Input was validated by the parser, so every escape is well formed.
enum JSONUnescaper {
    static func unescape(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let kind = bytes[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = quad(bytes, index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = quad(bytes, index + 2)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                output.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default: output.append(kind)
            }
        }
        return output
    }

    private static func quad(_ bytes: ArraySlice<UInt8>, _ start: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in start..<(start + 4) { value = value << 4 | UInt32(hexValue(bytes[index])!) }
        return value
    }
}
