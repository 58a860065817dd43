import Testing
@testable import TriageEngine

@Suite struct JSONTapeTests {
    private func parse(_ text: String, depth: Int = 64) throws(JSONSyntaxError) -> JSONDocument {
        try JSONDocument(bytes: Array(text.utf8), maxDepth: depth)
    }

    private func reason(_ bytes: [UInt8], depth: Int = 64) -> JSONSyntaxError.Reason? {
        do {
            _ = try JSONDocument(bytes: bytes, maxDepth: depth)
            return nil
        } catch { return error.reason }
    }

    private func reason(_ text: String, depth: Int = 64) -> JSONSyntaxError.Reason? { reason(Array(text.utf8), depth: depth) }

    @Test func test_readsNestedValuesLazily() throws {
        let document = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        let root = document.root
        let elements = Array(root["a"]!.elements)
        #expect(elements.count == 5)
        #expect(elements[0].int64 == 1)
        #expect(elements[1].double == -2500)
        #expect(elements[1].int64 == nil)
        #expect(elements[2].bool == true)
        #expect(elements[3].bool == false)
        #expect(elements[4].isNull)
        #expect(root["b"]?["c"]?.string == "d")
        #expect(root["e"]?.string == "")
        #expect(root["missing"] == nil)
        #expect(String(decoding: root["b"]!.rawJSON, as: UTF8.self) == #"{"c": "d"}"#)
    }

    @Test func test_childrenWalkInDocumentOrderAndOnlyTheirOwnKindOfContainer() throws {
        let root = try parse(#"{"a": {"x": [1, {"y": 2}]}, "b": [], "c": [3, [4], 5]}"#).root
        #expect(root.members.map(\.key) == ["a", "b", "c"], "a member's nested value is stepped over whole")
        #expect(root["c"]!.elements.map(\.rawJSON).map { String(decoding: $0, as: UTF8.self) } == ["3", "[4]", "5"])
        #expect(Array(root["b"]!.elements).isEmpty)
        #expect(Array(root.elements).isEmpty, "an object has no elements")
        #expect(Array(root["c"]!.members).isEmpty, "an array has no members")
        #expect(Array(Array(root["a"]!["x"]!.elements)[1].members).map(\.key) == ["y"])
    }

    @Test func test_membersAndElementsAreSeparatedAndClosedByTheSameRule() {
        #expect(reason(#"{"a": 1 "b": 2}"#) == .unexpectedByte(UInt8(ascii: "\""), expected: "',' or '}'"))
        #expect(reason(#"{"a": 1]"#) == .unexpectedByte(UInt8(ascii: "]"), expected: "',' or '}'"))
        #expect(reason("[1}") == .unexpectedByte(UInt8(ascii: "}"), expected: "',' or ']'"))
        #expect(reason("[1, ") == .unexpectedEnd)
        #expect(reason(#"{"a": 1 "#) == .unexpectedEnd)
        #expect(reason(" [ 1 ,\n 2 ] ") == nil)
    }

    /// Plain decimals skip `strtod`; they must read as the very double it would give.
    @Test func test_decimalsReadAsStrtodReadsThem() throws {
        var generator = SystemRandomNumberGenerator()
        var literals = ["0.1", "-0.0", "0.30000000000000004", "1790000000.432", "9007199254740.993", "123456789012345.6",
                        "0.000000000000001", "1.5e3", "0.5", "999999999999999.9"]
        for _ in 0..<20_000 {
            let digits = String(UInt64.random(in: 0...999_999_999_999_999, using: &generator))
            let point = Int.random(in: 0..<digits.count, using: &generator)
            literals.append("\(Bool.random(using: &generator) ? "-" : "")\(digits.prefix(point).isEmpty ? "0" : String(digits.prefix(point))).\(digits.dropFirst(point))")
        }
        for literal in literals {
            let value = Array(try parse("[\(literal)]").root.elements)[0].double
            let expected = Double(literal)!
            #expect(value?.bitPattern == expected.bitPattern, "\(literal)")
        }
    }

    @Test func test_decodesEscapesAndSurrogatePairs() throws {
        let document = try parse(#"{"s": "q\"b\\s\/n\nt\tu\u00e9\ud83d\ude00"}"#)
        #expect(document.root["s"]?.string == "q\"b\\s/n\nt\tu\u{e9}😀")
    }

    @Test func test_escapedKeysMatch() throws {
        #expect(try parse(#"{"ti\u0074le": 1}"#).root["title"]?.int64 == 1)
    }

    @Test func test_integersOutsideInt64AreNotIntegers() throws {
        let document = try parse("[9223372036854775807, -9223372036854775808, 9223372036854775808]")
        let values = Array(document.root.elements)
        #expect(values[0].int64 == Int64.max)
        #expect(values[1].int64 == Int64.min)
        #expect(values[2].int64 == nil)
    }

    @Test func test_rejectsMalformedDocumentsWithTheReason() {
        #expect(reason("") == .unexpectedEnd)
        #expect(reason(#"{"a": 1"#) == .unexpectedEnd)
        #expect(reason(#"{"a" 1}"#) == .unexpectedByte(UInt8(ascii: "1"), expected: "':'"))
        #expect(reason(#"{"a": 1,}"#) == .unexpectedByte(UInt8(ascii: "}"), expected: "a string key"))
        #expect(reason("[1 2]") == .unexpectedByte(UInt8(ascii: "2"), expected: "',' or ']'"))
        #expect(reason("{} x") == .trailingData)
        #expect(reason("tru") == .unexpectedEnd)
        #expect(reason("nul1") == .unexpectedByte(UInt8(ascii: "1"), expected: "'null'"))
        #expect(reason("01") == .trailingData)
        #expect(reason("-") == .unexpectedEnd)
        #expect(reason("1.") == .invalidNumber)
        #expect(reason("1e") == .invalidNumber)
        #expect(reason("NaN") == .unexpectedByte(UInt8(ascii: "N"), expected: "a JSON value"))
        #expect(reason("\"a\u{01}b\"") == .controlCharacterInString)
        #expect(reason(#""\x""#) == .invalidEscape)
        #expect(reason(#""\u12G4""#) == .invalidEscape)
        #expect(reason(#""\ud800""#) == .loneSurrogate)
        #expect(reason(#""\udc00\ud800""#) == .loneSurrogate)
    }

    @Test func test_rejectsInvalidUTF8() {
        let quote = UInt8(ascii: "\"")
        #expect(reason([quote, 0xFF, quote]) == .invalidUTF8)
        #expect(reason([quote, 0xC0, 0xAF, quote]) == .invalidUTF8, "overlong encoding of '/'")
        #expect(reason([quote, 0xED, 0xA0, 0x80, quote]) == .invalidUTF8, "UTF-8 encoded surrogate")
        #expect(reason([quote, 0xF4, 0x90, 0x80, 0x80, quote]) == .invalidUTF8, "above U+10FFFF")
        #expect(reason([quote, 0xE2, 0x82, quote]) == .invalidUTF8, "truncated sequence")
        #expect(reason([quote, 0xE2, 0x82, 0xAC, quote]) == nil, "the euro sign is fine")
    }

    /// Strings are skipped eight bytes at a time: a byte that matters must be seen at every offset
    /// within a word, and next to every other kind.
    @Test func test_stringBytesThatMatterAreSeenAtEveryOffset() throws {
        let quote = UInt8(ascii: "\"")
        for offset in 0..<20 {
            let before = [UInt8](repeating: UInt8(ascii: "a"), count: offset)
            let after = [UInt8](repeating: UInt8(ascii: "b"), count: 19 - offset)
            func string(_ middle: [UInt8]) -> [UInt8] { [quote] + before + middle + after + [quote] }
            #expect(reason(string([0x1F])) == .controlCharacterInString, "at \(offset)")
            #expect(reason(string([0x00])) == .controlCharacterInString, "at \(offset)")
            #expect(reason(string([0xFF])) == .invalidUTF8, "at \(offset)")
            #expect(reason(string([0x80])) == .invalidUTF8, "a lone continuation byte at \(offset)")
            #expect(reason(string([0xE2, 0x82])) == .invalidUTF8, "at \(offset)")
            #expect(reason(string(Array(#"\q"#.utf8))) == .invalidEscape, "at \(offset)")
            #expect(reason([quote] + before) == .unexpectedEnd, "unterminated, \(offset) bytes")
            let escaped = try JSONDocument(bytes: string(Array(#"\"é\n\u0041~"#.utf8)), maxDepth: 4)
            #expect(escaped.root.string == String(decoding: before, as: UTF8.self) + "\"é\nA~" + String(decoding: after, as: UTF8.self))
            let ended = try JSONDocument(bytes: [UInt8(ascii: "[")] + [quote] + before + [quote, UInt8(ascii: ","), quote, quote, UInt8(ascii: "]")], maxDepth: 4)
            #expect(ended.root.elements.map(\.string) == [String(decoding: before, as: UTF8.self), ""], "the closing quote at \(offset)")
        }
    }

    @Test func test_depthLimitStopsDeepNestingWithoutRecursingFurther() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(reason(deep) == .tooDeep(limit: 64))
        let atLimit = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(reason(atLimit) == nil)
        #expect(reason("[" + atLimit + "]") == .tooDeep(limit: 64))
    }

    @Test func test_errorsDescribeTheOffset() {
        do {
            _ = try parse(#"{"a": }"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "invalid JSON at byte 6: found '}', expected a JSON value")
        }
    }

    @Test func test_errorsNameWhatAProducerDidWrong() {
        func message(_ bytes: [UInt8]) -> String? {
            do { _ = try JSONDocument(bytes: bytes, maxDepth: 64); return nil } catch { return error.description }
        }
        #expect(message([0xEF, 0xBB, 0xBF] + Array("{}".utf8))?.contains("a UTF-8 byte-order mark; payloads are UTF-8 JSON") == true)
        #expect(message([0xFF, 0xFE, 0x7B, 0x00])?.contains("the text is UTF-16") == true)
        #expect(message([0x7B, 0x00, 0x7D, 0x00])?.contains("UTF-16 or binary data") == true)
        #expect(message([]) == "invalid JSON: the payload is empty")
        #expect(message(Array("{} {}".utf8))?.contains("a .json file holds one payload; a .jsonl file one per line") == true)
        #expect(message(Array("{\"a\": x}".utf8)) == "invalid JSON at byte 6: found 'x', expected a JSON value",
                "an ordinary mistake gets no encoding hint")
    }
}
