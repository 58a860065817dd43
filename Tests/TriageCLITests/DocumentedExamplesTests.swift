import Foundation
import Testing
import TriageTestSupport

/// The user's reference in Docs/ stays true: every documented command runs, every documented
/// query parses, and every documented mistake is refused as a usage error.
@Suite struct DocumentedExamplesTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The lines of each fenced block tagged `tag` in `document`.
    private static func blocks(_ tag: String, in document: String) throws -> [String] {
        let text = try String(contentsOfFile: "\(root)/Docs/\(document)", encoding: .utf8)
        var lines: [String] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inside = !inside && line.dropFirst(3) == tag[...]
                continue
            }
            if inside, !line.isEmpty { lines.append(String(line)) }
        }
        return lines
    }

    /// Shell words, with single quotes as the documents use them.
    private static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current: String?
        var quoted = false
        for character in line {
            if character == "'" {
                quoted.toggle()
                current = current ?? ""
            } else if character == " ", !quoted {
                if let word = current { words.append(word) }
                current = nil
            } else {
                current = (current ?? "") + String(character)
            }
        }
        if let word = current { words.append(word) }
        return words
    }

    private func demo() throws -> (TemporaryDirectory, [String: String]) {
        let scratch = TemporaryDirectory()
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        return (scratch, ["TRIAGE_STORE": scratch.path + "/demo/triage.sqlite", "TRIAGE_SPOOL": scratch.path + "/demo/spool"])
    }

    @Test func test_everyDocumentedCommandRuns() throws {
        let commands = try Self.blocks("console", in: "cli.md")
        #expect(commands.count >= 10)
        let (scratch, environment) = try demo()
        for line in commands {
            let words = Self.words(line)
            try #require(words.count >= 2 && words[0] == "$" && words[1] == "triage", "\(line)")
            let result = try TriageProcess.run(Array(words.dropFirst(2)), home: scratch.path, environment: environment)
            #expect(result.status == 0, "\(line): \(result.stderr)")
        }
    }

    @Test func test_everyDocumentedQueryParses() throws {
        let (scratch, environment) = try demo()
        let queries = try Self.blocks("query", in: "queries.md")
        #expect(queries.count >= 8)
        for query in queries {
            let result = try TriageProcess.run(["list", "--query", query, "--plain"], home: scratch.path, environment: environment)
            #expect(result.status == 0, "\(query): \(result.stderr)")
        }
        let mistakes = try Self.blocks("query-error", in: "queries.md")
        #expect(mistakes.count >= 4)
        for query in mistakes {
            let result = try TriageProcess.run(["list", "--query", query], home: scratch.path, environment: environment)
            #expect(result.status == 2, "\(query) is refused as a usage error")
            #expect(result.stderr.contains(query.split(separator: ":").first.map(String.init) ?? query), "\(query): \(result.stderr)")
        }
    }

    @Test func test_everyDocumentedPayloadIsIngested() throws {
        let payloads = try Self.blocks("jsonl", in: "payloads.md")
        #expect(payloads.count >= 3)
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try (payloads.joined(separator: "\n") + "\n").write(toFile: spool + "/docs.jsonl", atomically: true, encoding: .utf8)
        let result = try TriageProcess.run(["ingest", "--spool", spool, "--store", scratch.path + "/store.sqlite", "--json"], home: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try TriageProcess.json(result.stdout) as? [String: Any])
        #expect(summary["rejected"] as? Int == 0)
        #expect(summary["status_changes"] as? Int == payloads.filter { $0.contains("status_change") }.count)
    }
}
