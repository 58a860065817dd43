import Foundation
import Testing
@testable import TriageEngine
import TriageTestSupport

/// `LineReader` reads a `.jsonl` file in chunks (4 MiB with a 1 MiB payload limit): a refill that starts on a line boundary
/// takes the chunk as it is, one that starts mid-line appends it to the line's first part.
@Suite struct LineReaderTests {
    private static let chunk = LineReader.chunkBytes

    /// Lines of 1,000 bytes, then one that crosses the first chunk's end (200 bytes past it), then more.
    private func fileStraddlingTheFirstChunk() -> [String] {
        var lines: [String] = []
        var written = 0
        while written + 1_001 <= Self.chunk - 100 {
            let line = String(repeating: Character(String(lines.count % 10)), count: 1_000)
            lines.append(line)
            written += 1_001
        }
        lines.append(String(repeating: "s", count: Self.chunk - written - 100) + String(repeating: "x", count: 300))
        for index in 0..<50 { lines.append("after-\(index)") }
        return lines
    }

    private func reader(for name: String, in spool: SpoolDirectory, from offset: Int64 = 0, line: Int = 0) throws -> LineReader {
        guard case let .opened(file) = SpoolFile.open(SpoolName(name), in: spool) else {
            Issue.record("\(name) did not open")
            throw CancellationError()
        }
        return LineReader(file: file, from: offset, line: line, maxLineBytes: 1 << 20)
    }

    private func readAll(_ reader: inout LineReader) throws -> [SpoolLine] {
        var lines: [SpoolLine] = []
        while let line = try reader.next() { lines.append(line) }
        return lines
    }

    @Test func test_aLineAcrossTheChunkBoundaryIsReadWholeAndEveryOtherLineAsWritten() throws {
        let workspace = try Workspace()
        let expected = fileStraddlingTheFirstChunk()
        let text = expected.joined(separator: "\n") + "\n"
        #expect(text.utf8.count > Self.chunk, "the file needs a second chunk")
        workspace.drop("big.jsonl", text)
        var reader = try reader(for: "big.jsonl", in: workspace.spool)
        let lines = try readAll(&reader)

        #expect(lines.count == expected.count)
        let firstDifference = zip(lines, expected).enumerated().first { $0.element.0.bytes != Array($0.element.1.utf8) }
        #expect(firstDifference == nil, "line \(firstDifference.map { $0.offset + 1 } ?? 0) differs")
        var offset: Int64 = 0
        for (index, line) in lines.enumerated() {
            #expect(line.number == index + 1 && line.offset == offset && line.length == expected[index].utf8.count)
            offset += Int64(expected[index].utf8.count + 1)
            #expect(line.end == offset)
        }
    }

    @Test func test_readingResumedPastTheBoundaryStartsAtThatLine() throws {
        let workspace = try Workspace()
        let expected = fileStraddlingTheFirstChunk()
        workspace.drop("big.jsonl", expected.joined(separator: "\n") + "\n")
        var first = try reader(for: "big.jsonl", in: workspace.spool)
        let all = try readAll(&first)
        let straddling = all[all.count - 51]
        #expect(straddling.offset < Int64(Self.chunk) && straddling.end > Int64(Self.chunk))

        var resumed = try reader(for: "big.jsonl", in: workspace.spool, from: straddling.end, line: straddling.number)
        let rest = try readAll(&resumed)
        #expect(rest.map { $0.bytes.map { String(decoding: $0, as: UTF8.self) } } == (0..<50).map { "after-\($0)" })
        #expect(rest.first?.number == straddling.number + 1)
    }

    @Test func test_carriageReturnsAndAMissingLastNewlineAreNotPartOfTheLines() throws {
        let workspace = try Workspace()
        workspace.drop("crlf.jsonl", "{\"a\":1}\r\n\n{\"b\":2}")
        var reader = try reader(for: "crlf.jsonl", in: workspace.spool)
        let lines = try readAll(&reader)
        #expect(lines.map { $0.bytes.map { String(decoding: $0, as: UTF8.self) } } == ["{\"a\":1}", "", "{\"b\":2}"])
        #expect(lines.map(\.end) == [9, 10, 17])
    }

    @Test func test_aReadPastTheEndReturnsWhatTheFileHas() throws {
        let workspace = try Workspace()
        workspace.drop("short.json", "0123456789")
        guard case let .opened(file) = SpoolFile.open(SpoolName("short.json"), in: workspace.spool) else {
            Issue.record("short.json did not open")
            return
        }
        #expect(try file.read(at: 4, count: 100) == Array("456789".utf8))
        #expect(try file.read(at: 10, count: 5) == [])
    }
}
