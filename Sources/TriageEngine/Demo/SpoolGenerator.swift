import Foundation

/// Writes deterministic synthetic spools for tests and benchmarks (`triage gen`).
///
/// Group popularity is Zipf-like (a few groups take most occurrences, as in real incidents),
/// payloads are about 1 KB with an embedded event, and `badFraction` of them are broken in one of
/// several realistic ways. The same options and seed always produce the same bytes.
public struct SpoolGenerator {
    public enum Format: String, Sendable, CaseIterable {
        case json, jsonl
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
        public var bytes = 0
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    public func write(to directory: String) throws -> Summary {
        try PrivateDirectory.create(directory)
        var random = SplitMix64(seed: options.seed)
        let popularity = ZipfTable(count: max(1, options.groups), exponent: 1.1)
        let linesPerFile = options.format == .json ? 1 : max(1, options.perFile)
        var summary = Summary()
        var fileBytes: [UInt8] = []
        var linesInFile = 0
        for index in 0..<options.occurrences {
            let group = popularity.sample(&random)
            let time = options.startTime + options.timeSpan * Double(index) / Double(max(1, options.occurrences))
            let breakIt = options.badFraction > 0 && random.nextDouble() < options.badFraction
            var payload = SyntheticOccurrence(group: group, projects: options.projects, time: time, random: &random).bytes
            if breakIt {
                payload = Breakage.allCases[Int(random.next() % UInt64(Breakage.allCases.count))].apply(to: payload)
                summary.bad += 1
            } else {
                summary.valid += 1
            }
            fileBytes += payload
            fileBytes.append(0x0A)
            linesInFile += 1
            if linesInFile == linesPerFile || index == options.occurrences - 1 {
                let digits = options.format == .json ? 8 : 6
                let number = String(summary.files)
                let name = "gen-" + String(repeating: "0", count: max(0, digits - number.count)) + number + "." + options.format.rawValue
                try Self.writeAtomically(fileBytes, directory: directory, name: name)
                summary.files += 1
                summary.bytes += fileBytes.count
                fileBytes.removeAll(keepingCapacity: true)
                linesInFile = 0
            }
        }
        return summary
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

/// Ways a generated payload is broken, one per class of bad input the decoder must name.
enum Breakage: CaseIterable {
    case truncated, missingTitle, projectAsString, unknownType, badLevel, emptyFingerprint, invalidUTF8, eventProjectMismatch

    func apply(to payload: [UInt8]) -> [UInt8] {
        func replacing(_ old: String, _ new: String) -> [UInt8] {
            let text = String(decoding: payload, as: UTF8.self)
            guard let range = text.range(of: old) else { return payload }
            return Array(text.replacingCharacters(in: range, with: new).utf8)
        }
        switch self {
        case .truncated: return Array(payload.prefix(payload.count / 2))
        case .missingTitle: return replacing("\"issue_title\":", "\"issue_titel\":")
        case .projectAsString:
            let text = String(decoding: payload, as: UTF8.self)
            guard let range = text.range(of: #""project_id":(\d+)"#, options: .regularExpression) else { return payload }
            let number = text[range].dropFirst(13)
            return Array(text.replacingCharacters(in: range, with: "\"project_id\":\"\(number)\"").utf8)
        case .unknownType: return replacing("\"type\":", "\"type\":99999")  // prefixes the id: 1 becomes 999991
        case .badLevel: return replacing("\"level\":\"", "\"level\":\"critical-")
        case .emptyFingerprint: return replacing("\"fingerprint\":[\"", "\"fingerprint\":[\"\",\"")
        case .invalidUTF8:
            var bytes = payload
            if let position = bytes.firstIndex(of: UInt8(ascii: "#")) { bytes[position] = 0xFF }
            return bytes
        case .eventProjectMismatch: return replacing("\"event\":{\"project_id\":", "\"event\":{\"project_id\":7")
        }
    }
}

/// One generated occurrence for group `group`.
struct SyntheticOccurrence {
    let bytes: [UInt8]

    static let kinds: [(typeID: Int, title: String, culprit: String, level: String)] = [
        (1, "TypeError: cannot read properties of undefined (reading 'id')", "app/views/orders.py in load_order", "error"),
        (1, "KeyError: 'customer' in checkout", "app/checkout/cart.py in total", "error"),
        (1, "ConnectionResetError: peer closed connection", "net/pool.go in Acquire", "fatal"),
        (1, "Timeout waiting for lock on inventory", "inventory/locks.rs in acquire", "warning"),
        (1006, "N+1 Query on /api/orders", "GET /api/orders", "warning"),
        (1001, "Slow DB Query: SELECT * FROM events WHERE ...", "GET /api/events", "info"),
        (4001, "Monitor failure: poll_service", "cron poll_service", "error"),
        (2003, "JSON decoding on main thread", "MainActor.decodeFeed", "warning"),
        (6001, "User feedback: export button does nothing", "web /reports", "info"),
        (7001, "Uptime check failed for api.example.com", "https://api.example.com/health", "error"),
    ]

    init(group: Int, projects: Int, time: Double, random: inout SplitMix64) {
        // Most groups are errors; the rest cycle through the other kinds.
        let kind = Self.kinds[group % 10 < 6 ? group % 4 : 4 + group % 6]
        let project = 1 + group % max(1, projects)
        let id = random.uuidHex()
        let eventID = random.uuidHex()
        let user = random.next() % 500
        let duration = 50 + random.next() % 5000
        let text = """
            {"id":"\(id)","project_id":\(project),"fingerprint":["fp-\(group)","shape-\(group % 97)"],\
            "issue_title":"\(kind.title) #\(group)","subtitle":"seen on host-\(group % 17) in region eu-\(group % 3)",\
            "culprit":"\(kind.culprit)","type":\(kind.typeID),"detection_time":\(String(format: "%.3f", time)),"level":"\(kind.level)",\
            "evidence_display":[{"name":"Failure reason","value":"\(kind.title)","important":true},\
            {"name":"Duration","value":"\(duration) ms","important":false},{"name":"Host","value":"host-\(group % 17)","important":false}],\
            "evidence_data":{"op":"db.query","duration_ms":\(duration),"span_ids":["\(id.prefix(16))","\(eventID.prefix(16))"],\
            "parameters":{"limit":50,"offset":\(user)}},\
            "event":{"project_id":\(project),"event_id":"\(eventID)","platform":"python","environment":"production",\
            "received":\(String(format: "%.3f", time + 0.2)),"timestamp":\(String(format: "%.3f", time)),\
            "release":"backend@2026.11.\(group % 28 + 1)","user":{"id":"user-\(user)","ip_address":"10.0.\(user % 256).\(user / 256)"},\
            "tags":{"server_name":"host-\(group % 17)","region":"eu-\(group % 3)","transaction":"\(kind.culprit)"},\
            "sdk":{"name":"sentry.python","version":"2.18.0"}}}
            """
        bytes = Array(text.utf8)
    }
}

/// Cumulative Zipf weights over `count` ranks, sampled by binary search.
struct ZipfTable {
    private let cumulative: [Double]

    init(count: Int, exponent: Double) {
        var total = 0.0
        cumulative = (1...count).map { rank in
            total += 1 / pow(Double(rank), exponent)
            return total
        }
    }

    func sample(_ random: inout SplitMix64) -> Int {
        let target = random.nextDouble() * cumulative.last!
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// A small, fast, seedable generator (Steele, Lea & Flood's SplitMix64): same seed, same spool.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func uuidHex() -> String {
        let high = String(next(), radix: 16)
        let low = String(next(), radix: 16)
        return String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count) + low
    }
}
