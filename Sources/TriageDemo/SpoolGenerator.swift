import Foundation
import TriageEngine

/// Writes deterministic synthetic spools for tests and benchmarks (`triage gen`).
///
/// Group popularity is Zipf-like (a few groups take most occurrences, as in real incidents),
/// payloads are about 1 KB with an embedded event, and `badFraction` of them are broken in one of
/// several realistic ways. The shape options add what real detectors' streams carry: status changes
/// for their own groups, noise-gated keys that mostly stay held, one hot group, many users, every
/// occurrence a new group, and Sentry's own message style. The same options and seed always
/// produce the same bytes.
public struct SpoolGenerator {
    public enum Format: String, Sendable, CaseIterable {
        /// One payload per file, JSON lines, or three `.jsonl` files for every single-payload `.json` file.
        case json, jsonl, mixed
    }

    public enum Style: String, Sendable, CaseIterable {
        /// Unix-second numbers, a culprit, a level.
        case triage
        /// As Sentry's consumer tests send them: ISO 8601 times without a zone, no culprit, no level,
        /// an event with a stack trace.
        case sentry
    }

    public struct Options: Sendable {
        public var occurrences: Int
        public var groups: Int
        public var projects: Int
        public var seed: UInt64
        public var format: Format
        public var perFile: Int
        public var badFraction: Double
        /// Detection times spread evenly over `[startTime, startTime + timeSpan)`.
        public var startTime: Double
        public var timeSpan: Double
        public var style: Style = .triage
        /// Payloads that are status changes for groups the stream has already created (resolve,
        /// ignore forever or reopen), spread through it.
        public var statusFraction = 0.0
        /// Occurrences on noise-gated types (limits 3 and 100), over keys seen about twice each.
        public var noiseFraction = 0.0
        /// Occurrences of one hot group.
        public var hotFraction = 0.0
        /// Distinct `event.user.id` values.
        public var users = 500
        /// Every occurrence its own group (`groups` is then ignored).
        public var uniqueGroups = false

        public init(occurrences: Int, groups: Int = 1000, projects: Int = 3, seed: UInt64 = 1, format: Format = .jsonl,
                    perFile: Int = 1000, badFraction: Double = 0, startTime: Double = 1_790_000_000, timeSpan: Double = 86_400) {
            self.occurrences = occurrences
            self.groups = groups
            self.projects = projects
            self.seed = seed
            self.format = format
            self.perFile = perFile
            self.badFraction = badFraction
            self.startTime = startTime
            self.timeSpan = timeSpan
        }
    }

    public struct Summary: Sendable, Equatable {
        public var files = 0
        public var valid = 0
        public var bad = 0
        public var statusChanges = 0
        public var bytes = 0
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    public func write(to directory: String) throws -> Summary {
        try PrivateDirectory.create(directory)
        var random = SplitMix64(seed: options.seed)
        var stream = PayloadStream(options: options)
        var summary = Summary()
        var fileBytes: [UInt8] = []
        var linesInFile = 0
        for index in 0..<options.occurrences {
            let time = options.startTime + options.timeSpan * Double(index) / Double(max(1, options.occurrences))
            let change = stream.statusChange(&random)
            let pick = change == nil ? stream.pick(&random) : nil
            // Rolled before the payload is built, as it always was: a seed gives the spool it gave.
            let breakIt = options.badFraction > 0 && random.nextDouble() < options.badFraction
            var payload: [UInt8]
            if let change {
                payload = change
                summary.statusChanges += 1
            } else {
                payload = stream.occurrence(pick!, at: time, &random)
                if !breakIt { stream.noteWritten(pick!) }
            }
            if breakIt {
                payload = Breakage.allCases[Int(random.next() % UInt64(Breakage.allCases.count))].apply(to: payload)
                summary.bad += 1
            } else {
                summary.valid += 1
            }
            fileBytes += payload
            fileBytes.append(0x0A)
            linesInFile += 1
            let format = fileFormat(summary.files)
            if linesInFile == (format == .json ? 1 : max(1, options.perFile)) || index == options.occurrences - 1 {
                let digits = options.format == .jsonl ? 6 : 8
                let number = String(summary.files)
                let name = "gen-" + String(repeating: "0", count: max(0, digits - number.count)) + number + "." + format.rawValue
                try Self.writeAtomically(fileBytes, directory: directory, name: name)
                summary.files += 1
                summary.bytes += fileBytes.count
                fileBytes.removeAll(keepingCapacity: true)
                linesInFile = 0
            }
        }
        return summary
    }

    private func fileFormat(_ number: Int) -> Format {
        switch options.format {
        case .mixed: return number % 4 == 3 ? .json : .jsonl
        case let format: return format
        }
    }

    /// Producers' protocol: write a dot-file, then rename it into place.
    static func writeAtomically(_ bytes: [UInt8], directory: String, name: String) throws {
        let temporary = directory + "/." + name + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        guard rename(temporary, directory + "/" + name) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: directory + "/" + name])
        }
    }
}

/// Chooses each payload of a generated stream: which group an occurrence belongs to, and when a
/// status change comes, for which group.
private struct PayloadStream {
    let options: SpoolGenerator.Options
    let popularity: ZipfTable
    /// Groups already created whose type has no noise limit: status changes aim only at these, so
    /// none is refused for a group that does not exist yet.
    var created: [Int] = []
    var isCreated: Set<Int> = []
    var noiseKeys: Int
    var nextUnique = 0

    init(options: SpoolGenerator.Options) {
        self.options = options
        popularity = ZipfTable(count: max(1, options.groups), exponent: 1.1)
        // About two occurrences a key: most keys of a limit-3 type, and all of a limit-100 one, stay held.
        noiseKeys = max(1, Int(Double(options.occurrences) * options.noiseFraction / 2))
    }

    mutating func statusChange(_ random: inout SplitMix64) -> [UInt8]? {
        guard options.statusFraction > 0, !created.isEmpty, random.nextDouble() < options.statusFraction else { return nil }
        let group = created[Int(random.next() % UInt64(created.count))]
        let (status, substatus): (Int, String) = switch random.next() % 10 {
        case 0..<5: (1, "null")     // resolve
        case 5..<7: (2, "5")        // ignore forever
        default: (0, "3")           // reopen as ongoing
        }
        let project = SyntheticOccurrence.project(of: group, projects: options.projects)
        return Array("""
            {"payload_type":"status_change","project_id":\(project),"fingerprint":["fp-\(group)"],"new_status":\(status),"new_substatus":\(substatus)}
            """.utf8)
    }

    enum Pick {
        case group(Int)
        case noiseKey(Int)
    }

    /// Which group the next occurrence belongs to. Draws nothing extra for the default shape.
    mutating func pick(_ random: inout SplitMix64) -> Pick {
        let roll = options.noiseFraction + options.hotFraction > 0 ? random.nextDouble() : 1
        if roll < options.noiseFraction { return .noiseKey(Int(random.next() % UInt64(noiseKeys))) }
        let group: Int
        if roll < options.noiseFraction + options.hotFraction {
            group = 0
        } else if options.uniqueGroups {
            group = nextUnique
            nextUnique += 1
        } else {
            group = popularity.sample(&random)
        }
        return .group(group)
    }

    /// An occurrence written whole has created its group, if nothing had.
    mutating func noteWritten(_ pick: Pick) {
        guard case let .group(group) = pick, !SyntheticOccurrence.isNoiseGated(group), isCreated.insert(group).inserted else { return }
        created.append(group)
    }

    func occurrence(_ pick: Pick, at time: Double, _ random: inout SplitMix64) -> [UInt8] {
        switch pick {
        case let .group(group):
            return SyntheticOccurrence(group: group, projects: options.projects, time: time, users: options.users,
                                       style: options.style, random: &random).bytes
        case let .noiseKey(key):
            return SyntheticOccurrence(noiseKey: key, projects: options.projects, time: time, users: options.users,
                                       style: options.style, random: &random).bytes
        }
    }
}
