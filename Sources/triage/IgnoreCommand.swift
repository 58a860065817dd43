import ArgumentParser
import Foundation
import TriageEngine

struct IgnoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ignore",
        abstract: "Ignore (archive) groups: forever, until escalating, or until a condition is met.",
        discussion: "Durations look like 30m, 4h, 7d, 1h30m. Times are ISO 8601 (2026-12-01T09:00:00Z or 2026-12-01)."
    )

    @OptionGroup var locations: Locations

    @Argument(help: "Numeric ids or short ids.")
    var groups: [String]

    @Flag(help: "Ignore forever (the default).")
    var forever = false

    @Flag(help: "Ignore until the group escalates above its forecast.")
    var untilEscalating = false

    @Option(name: .customLong("for"), help: ArgumentHelp("Ignore for this long.", valueName: "duration"))
    var duration: String?

    @Option(help: ArgumentHelp("Ignore until this time: HH:MM (UTC, its next occurrence) or ISO 8601.", valueName: "time"))
    var until: String?

    @Option(parsing: .unconditional, help: "Ignore until N more occurrences (or N within --window).")
    var count: Int?

    @Option(help: ArgumentHelp("With --count: the window the N occurrences must fall in.", valueName: "duration"))
    var window: String?

    @Option(parsing: .unconditional, help: "Ignore until N more distinct users are affected (or N within --user-window).")
    var users: Int?

    @Option(help: ArgumentHelp("With --users: the window the N users must fall in.", valueName: "duration"))
    var userWindow: String?

    func validate() throws {
        let modes = [forever, untilEscalating, duration != nil, until != nil, count != nil, users != nil].filter { $0 }.count
        if modes > 1 { throw ValidationError("Choose one of --forever, --until-escalating, --for, --until, --count, --users.") }
        if window != nil && count == nil { throw ValidationError("--window goes with --count.") }
        if userWindow != nil && users == nil { throw ValidationError("--user-window goes with --users.") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1.") }
        if let users, users < 1 { throw ValidationError("--users must be at least 1.") }
        for (name, value) in [("--for", duration), ("--window", window), ("--user-window", userWindow)] {
            if let value, DurationText.seconds(value) == nil {
                throw ValidationError("\(name): '\(value)' is not a duration such as 30m, 4h, 7d.")
            }
        }
        if let until, let problem = IgnoreUntilTime.problem(until, after: Date().timeIntervalSince1970) {
            throw ValidationError("--until: \(problem)\(problem.hasSuffix("later time") ? ", or --for a duration" : "").")
        }
    }

    func run() throws {
        try StatusChangeRunner.run(.ignore(mode), groups: groups, locations: locations)
    }

    private var mode: IgnoreMode {
        if untilEscalating { return .untilEscalating }
        if let duration { return .untilCondition(IgnoreCondition(until: Date().timeIntervalSince1970 + DurationText.seconds(duration)!)) }
        if let until { return .untilCondition(IgnoreCondition(until: IgnoreUntilTime.parse(until, after: Date().timeIntervalSince1970))) }
        if let count { return .untilCondition(IgnoreCondition(count: count, countWindow: window.flatMap(DurationText.seconds))) }
        if let users { return .untilCondition(IgnoreCondition(users: users, userWindow: userWindow.flatMap(DurationText.seconds))) }
        return .forever
    }
}
