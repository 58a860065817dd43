import ArgumentParser
import TriageEngine

struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Write a deterministic synthetic spool for tests and benchmarks.",
        discussion: "Zipf-like group popularity, ~1 KB payloads with an embedded event; the same options and seed give the same bytes."
    )

    @Option(help: ArgumentHelp("The directory to write into (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "How many occurrences.")
    var occurrences: Int

    @Option(help: "How many distinct groups (fingerprints).")
    var groups = 1000

    @Option(help: "How many projects.")
    var projects = 3

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "json (one payload per file) or jsonl.")
    var format: SpoolGenerator.Format = .jsonl

    @Option(help: "Payloads per .jsonl file.")
    var perFile = 1000

    @Option(help: "Fraction of payloads broken on purpose (0–1).")
    var badFraction = 0.0

    func validate() throws {
        guard occurrences >= 0, groups >= 1, projects >= 1, perFile >= 1 else {
            throw ValidationError("--occurrences must be ≥ 0; --groups, --projects and --per-file ≥ 1.")
        }
        guard (0...1).contains(badFraction) else { throw ValidationError("--bad-fraction must be between 0 and 1.") }
    }

    func run() throws {
        let options = SpoolGenerator.Options(occurrences: occurrences, groups: groups, projects: projects, seed: seed,
                                             format: format, perFile: perFile, badFraction: badFraction)
        let summary = try SpoolGenerator(options: options).write(to: out)
        print("wrote \(summary.files) files (\(summary.valid) valid, \(summary.bad) broken payloads, \(summary.bytes) bytes) to \(out)")
    }
}

extension SpoolGenerator.Format: ExpressibleByArgument {}
