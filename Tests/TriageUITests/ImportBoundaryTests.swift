import Foundation
import Testing

/// The package's layers stay apart: only the driver calls curses, the engine knows no UI, and the UI
/// draws into a grid without the driver.
@Suite struct ImportBoundaryTests {
    private static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// The modules each Swift file under `target` imports.
    private func imports(in target: String) throws -> [(file: String, module: String)] {
        let directory = Self.sources.appendingPathComponent(target)
        let files = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(!files.isEmpty, "\(target) has sources")
        return try files.flatMap { file in
            try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8).split(separator: "\n")
                .compactMap { line -> (String, String)? in
                    let words = line.split(separator: " ")
                    guard let index = words.firstIndex(of: "import"), index == words.startIndex || words[words.startIndex].hasPrefix("@"),
                          index + 1 < words.endIndex else { return nil }
                    return (file, String(words[index + 1]))
                }
        }
    }

    @Test func test_onlyTheDriverImportsCursesAndTheEngineImportsNoUI() throws {
        #expect(try imports(in: "CursesDriver").contains { $0.module == "CNcursesw" }, "the scan sees imports")
        for target in ["TriageEngine", "TriageUI", "triage"] {
            for (file, module) in try imports(in: target) {
                #expect(module != "CNcursesw", "\(target)/\(file) imports curses; only CursesDriver may")
            }
        }
        for (file, module) in try imports(in: "TriageEngine") {
            #expect(!["TriageUI", "CursesDriver"].contains(module), "the engine imports \(module) in \(file)")
        }
        for (file, module) in try imports(in: "TriageUI") {
            #expect(module != "CursesDriver", "the UI draws into a Grid, never through the driver: \(file)")
        }
    }

    /// Team mode's client stays in its target: the engine and the UI never see NIO.
    @Test func test_onlyTriagePostgresImportsPostgresNIO() throws {
        #expect(try imports(in: "TriagePostgres").contains { $0.module == "PostgresNIO" }, "the scan sees imports")
        for target in ["TriageEngine", "TriageUI", "CursesDriver", "triage"] {
            for (file, module) in try imports(in: target) {
                #expect(!module.hasPrefix("NIO") && module != "PostgresNIO", "\(target)/\(file) imports \(module); only TriagePostgres may")
            }
        }
    }
}
