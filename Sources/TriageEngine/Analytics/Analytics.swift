import Foundation
import Logging

/// Records analytics events: validated against the registry, stamped, appended to the sink.
///
/// An event that does not match its registered type is a programming error: it stops a debug build
/// (every call site is exercised by tests, so tests catch it) and is logged and dropped in a release
/// build. A sink that cannot be written is logged; it never fails the action being recorded.
public final class Analytics: Sendable {
    public let registry: AnalyticsRegistry
    let sink: AnalyticsSink?
    let clock: any TriageClock
    let logger: Logger

    public init(registry: AnalyticsRegistry = .builtIn, sink: AnalyticsSink?, clock: any TriageClock = SystemClock(),
                logger: Logger = Logger(label: "triage.analytics")) {
        self.registry = registry
        self.sink = sink
        self.clock = clock
        self.logger = logger
    }

    /// Events go nowhere (the analytics are switched off), but are still validated.
    public static let disabled = Analytics(sink: nil)

    public func record(_ name: String, _ attributes: [String: AnalyticsValue?]) {
        recordAll([(name, attributes)])
    }

    /// Several events with one append (and one sync): an ingest pass reports its failed files so.
    public func recordAll(_ events: [(name: String, attributes: [String: AnalyticsValue?])]) {
        var lines: [[UInt8]] = []
        for event in events {
            do { try registry.validate(event.name, event.attributes) } catch {
                assertionFailure(error.description)
                logger.error("analytics: \(error.description)")
                continue
            }
            if sink != nil { lines.append(line(event.name, event.attributes)) }
        }
        guard let sink, !lines.isEmpty else { return }
        do { try sink.append(lines) } catch {
            logger.warning("analytics: \(error.description)")
        }
    }

    private func line(_ name: String, _ attributes: [String: AnalyticsValue?]) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("type", name)
        json.field("uuid", UUID().uuidString.lowercased())
        json.field("timestamp", ISOTime.format(clock.now()))
        json.key("data")
        json.beginObject()
        for key in attributes.keys.sorted() {
            switch attributes[key]! {
            case let .string(text)?: json.field(key, text)
            case let .int(number)?: json.field(key, number)
            case nil: json.field(key, nil as String?)
            }
        }
        json.endObject()
        json.endObject()
        return json.bytes
    }
}
