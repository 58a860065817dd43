import Foundation
import TriageEngine

/// The status-transition panel: the transitions the spec allows from the targets' states, each on
/// a key. Legality comes from `StatusAction.target`, the same rule the store enforces.
public struct StatusPanel: Sendable {
    public enum Choice: Character, Sendable, CaseIterable {
        case resolve = "r", reopen = "o", ignoreForever = "f", ignoreUntilEscalating = "e"
        case ignoreForDuration = "d", ignoreUntilTime = "t", ignoreUntilEvents = "n", ignoreUntilUsers = "w"

        public var label: String {
            switch self {
            case .resolve: return "resolve"
            case .reopen: return "reopen"
            case .ignoreForever: return "ignore forever"
            case .ignoreUntilEscalating: return "ignore until escalating"
            case .ignoreForDuration: return "ignore for a duration…"
            case .ignoreUntilTime: return "ignore until a time…"
            case .ignoreUntilEvents: return "ignore until N more events…"
            case .ignoreUntilUsers: return "ignore until N more users…"
            }
        }

        /// The catalog's command for the choice: its key, its title in help, its `[keys]` name.
        public var command: CommandID {
            switch self {
            case .resolve: return .resolve
            case .reopen: return .reopen
            case .ignoreForever: return .ignoreForever
            case .ignoreUntilEscalating: return .ignoreUntilEscalating
            case .ignoreForDuration: return .ignoreFor
            case .ignoreUntilTime: return .ignoreUntil
            case .ignoreUntilEvents: return .ignoreUntilEvents
            case .ignoreUntilUsers: return .ignoreUntilUsers
            }
        }

        public init?(command: CommandID) {
            guard let choice = Self.allCases.first(where: { $0.command == command }) else { return nil }
            self = choice
        }

        /// What to ask before applying, for the choices that take a parameter.
        public var question: String? {
            switch self {
            case .ignoreForDuration: return "for how long? (30m, 4h, 7d)"
            case .ignoreUntilTime: return "until when, UTC? (14:05, 2026-12-08T09:00:00Z)"
            case .ignoreUntilEvents: return "how many more events? (N, or N/1h for a window)"
            case .ignoreUntilUsers: return "how many more users? (N, or N/1d for a window)"
            default: return nil
            }
        }

        /// The action, with a representative parameter for legality checks when none is given yet.
        func action(parameter: String?, now: Double) -> StatusAction? {
            switch self {
            case .resolve: return .resolve
            case .reopen: return .reopen
            case .ignoreForever: return .ignore(.forever)
            case .ignoreUntilEscalating: return .ignore(.untilEscalating)
            case .ignoreForDuration:
                guard let parameter else { return .ignore(.untilCondition(IgnoreCondition(until: now))) }
                return DurationText.seconds(parameter).map { .ignore(.untilCondition(IgnoreCondition(until: now + $0))) }
            case .ignoreUntilTime:
                guard let parameter else { return .ignore(.untilCondition(IgnoreCondition(until: now))) }
                return Self.time(parameter, after: now).map { .ignore(.untilCondition(IgnoreCondition(until: $0))) }
            case .ignoreUntilEvents:
                guard let parameter else { return .ignore(.untilCondition(IgnoreCondition(count: 1))) }
                return Self.countAndWindow(parameter).map { .ignore(.untilCondition(IgnoreCondition(count: $0.count, countWindow: $0.window))) }
            case .ignoreUntilUsers:
                guard let parameter else { return .ignore(.untilCondition(IgnoreCondition(users: 1))) }
                return Self.countAndWindow(parameter).map { .ignore(.untilCondition(IgnoreCondition(users: $0.count, userWindow: $0.window))) }
            }
        }

        /// Why `action(parameter:now:)` refused `text`, for the panel's prompt and `:ignore` alike.
        func problem(parameter text: String, now: Double) -> String {
            let quoted = TerminalText.sanitize(text.isEmpty ? "nothing" : "'\(text)'")
            switch self {
            case .ignoreUntilTime:
                return IgnoreUntilTime.problem(text, after: now) ?? "\(quoted) is not a time such as 14:05"
            case .ignoreForDuration:
                if text.allSatisfy({ $0 == "0" || "smhdw".contains($0) }), text.contains("0") { return "a duration must be longer than 0 (30m, 4h, 7d)" }
                return "\(quoted) is not a duration such as 30m, 4h or 7d (at most about 31,000 years)"
            case .ignoreUntilEvents, .ignoreUntilUsers:
                return "\(quoted) is not a count above 0, alone or with a window: 100 or 100/1h"
            case .resolve, .reopen, .ignoreForever, .ignoreUntilEscalating:
                return "\(quoted) does not answer: \(question ?? "")"
            }
        }

        static func time(_ text: String, after now: Double) -> Double? { IgnoreUntilTime.parse(text, after: now) }

        /// `N` or `N/DURATION`.
        static func countAndWindow(_ text: String) -> (count: Int, window: Double?)? {
            // Empty pieces kept: "" and "5/" are no answers (an empty answer once indexed an empty split).
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = parts.first, let count = Int(first), count > 0 else { return nil }
            guard parts.count == 2 else { return (count, nil) }
            return DurationText.seconds(parts[1]).map { (count, $0) }
        }
    }

    public struct Option: Sendable {
        public let choice: Choice
        /// Nil when the option applies to at least one target; otherwise why it does not.
        public let refusal: String?
    }

    public let targets: [Group]
    public let options: [Option]
    /// The choice waiting for its parameter, and what has been typed so far.
    public var pending: (choice: Choice, line: LineEditor)?
    /// The first choice shown: on a short terminal the choices scroll (`j` `k`), as other boxes do.
    public var scroll = 0

    public init(targets: [Group], registry: GroupTypeRegistry, now: Double) {
        self.targets = targets
        options = Choice.allCases.map { choice in
            let action = choice.action(parameter: nil, now: now)!
            var reasons: [String] = []
            for group in targets {
                switch action.target(from: group.state, type: registry.type(id: group.typeID)) {
                case .success(_?): return Option(choice: choice, refusal: nil)
                case .success(nil): reasons.append("already \(group.state)")
                case let .failure(refusal): reasons.append(refusal.reason)
                }
            }
            return Option(choice: choice, refusal: reasons.first ?? "nothing selected")
        }
    }

    public func option(_ choice: Choice) -> Option { options.first { $0.choice == choice }! }
}
