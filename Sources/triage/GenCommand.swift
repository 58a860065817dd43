import ArgumentParser
import TriageDemo
import TriageEngine

struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Write a deterministic synthetic spool for tests and benchmarks.",
        discussion: """
            Zipf-like group popularity, ~1 KB payloads with an embedded event; the same options and seed give the same bytes. \
            The shape options write what real detectors' streams carry: status changes for their own groups, noise-gated \
            keys, one hot group, many users, every occurrence a new group, Sentry's message style.
            """
    )

    @Option(help: ArgumentHelp("The directory to write into (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "How many payloads.")
    var occurrences: Int

    @Option(help: "How many distinct groups (fingerprints).")
    var groups = 1000

    @Option(help: "How many projects.")
    var projects = 3

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "json (one payload per file), jsonl, or mixed (a .json file for every three .jsonl files).")
    var format: SpoolGenerator.Format = .jsonl

    @Option(help: "Payloads per .jsonl file.")
    var perFile = 1000

    @Option(help: "Fraction of payloads broken on purpose (0–1).")
    var badFraction = 0.0

    @Option(help: "triage (Unix seconds, culprit, level) or sentry (ISO times without a zone, no culprit or level, a stack trace).")
    var style: SpoolGenerator.Style = .triage

    @Option(help: "Fraction of payloads that are status changes (resolve, ignore forever, reopen) for groups already created.")
    var statusFraction = 0.0

    @Option(help: "Fraction of occurrences on noise-gated types (limits 3 and 100), about two to a key.")
    var noiseFraction = 0.0

    @Option(help: "Fraction of occurrences that go to one hot group.")
    var hotFraction = 0.0

    @Option(help: "Distinct event.user.id values.")
    var users = 500

    @Flag(help: "Every occurrence a new group (--groups is ignored).")
    var uniqueGroups = false

    @Option(help: ArgumentHelp("Detection time of the first payload, Unix seconds (a fixed date by default, so output never depends on the clock).",
                               valueName: "seconds"))
    var start: Double = 1_790_000_000

    @Option(help: ArgumentHelp("Seconds the detection times spread over.", valueName: "seconds"))
    var span: Double = 86_400

    func validate() throws {
        guard occurrences >= 0, groups >= 1, projects >= 1, perFile >= 1, users >= 1 else {
            throw ValidationError("--occurrences must be ≥ 0; --groups, --projects, --per-file and --users ≥ 1.")
        }
        for (name, value) in [("--bad-fraction", badFraction), ("--status-fraction", statusFraction),
                              ("--noise-fraction", noiseFraction), ("--hot-fraction", hotFraction)] {
            guard (0...1).contains(value) else { throw ValidationError("\(name) must be between 0 and 1.") }
        }
        guard start.isFinite, start >= 0, span.isFinite, span >= 0 else { throw ValidationError("--start and --span must be ≥ 0 seconds.") }
        guard noiseFraction + hotFraction <= 1 else { throw ValidationError("--noise-fraction and --hot-fraction add up to more than 1.") }
    }

    func run() throws {
        var options = SpoolGenerator.Options(occurrences: occurrences, groups: groups, projects: projects, seed: seed,
                                             format: format, perFile: perFile, badFraction: badFraction, startTime: start, timeSpan: span)
        options.style = style
        options.statusFraction = statusFraction
        options.noiseFraction = noiseFraction
        options.hotFraction = hotFraction
        options.users = users
        options.uniqueGroups = uniqueGroups
        let summary = try SpoolGenerator(options: options).write(to: out)
        print("wrote \(summary.files) files (\(summary.valid) valid, \(summary.bad) broken payloads, \(summary.statusChanges) status changes, "
              + "\(summary.bytes) bytes) to \(out)")
    }
}

extension SpoolGenerator.Format: ExpressibleByArgument {}
extension SpoolGenerator.Style: ExpressibleByArgument {}
