import Testing
@testable import TriageEngine
import TriageTestSupport

/// Spec §1.1 `detection_time`: a number or an ISO 8601 string, finite, not negative, at most the
/// configured tolerance ahead of the ingesting clock; a unit mistake is named.
@Suite struct PayloadTimeTests {
    static let now = 1_790_000_000.0
    let decoder = PayloadDecoder(registry: .builtIn, clock: ManualClock(now))

    private func decode(_ time: String, decoder: PayloadDecoder? = nil) -> Result<Double, PayloadError> {
        let payload = PayloadBuilder().with("detection_time", time)
        do {
            guard case let .occurrence(occurrence) = try (decoder ?? self.decoder).decode(payload.bytes) else { return .failure(.notAnObject(found: "?")) }
            return .success(occurrence.detectionTime)
        } catch { return .failure(error) }
    }

    private func refusal(_ time: String) -> PayloadError? {
        if case let .failure(error) = decode(time) { return error }
        return nil
    }

    @Test(arguments: ["1e300", "1e19", "9223372036854775808", "18446744073709551616", "1e17", "1.7e22",
                      "179000000000000000000000000000000000000000", "1790864000"])
    func test_refusesTimesFarAheadWithoutTrapping(_ time: String) {
        let error = refusal(time)
        #expect(error?.field == "detection_time", "\(time)")
        #expect(error?.reason.contains("ahead of this machine's clock") == true, "\(time): \(error?.reason ?? "accepted")")
    }

    @Test func test_namesTheLikelyUnitMistake() {
        #expect(refusal("1790000000123")?.reason.contains("looks like milliseconds") == true)
        #expect(refusal("1790000000123456")?.reason.contains("looks like microseconds") == true)
        #expect(refusal("1790000000123456789")?.reason.contains("looks like nanoseconds") == true)
    }

    @Test func test_refusesNegativeTimes() {
        #expect(refusal("-1")?.reason.contains("before 1970") == true)
        #expect(refusal("-1e300")?.field == "detection_time")
    }

    @Test(arguments: ["0", "-0", "0.0", "5e-324", "1e-400", "1790000000.000000000000000000001", "1790086399"])
    func test_acceptsEdgeTimesInsideTheWindow(_ time: String) {
        guard case let .success(seconds) = decode(time) else { Issue.record("\(time) refused: \(refusal(time)!)"); return }
        #expect(seconds >= 0 && seconds <= Self.now + 86_400)
    }

    @Test func test_toleranceAheadIsConfigurable() throws {
        let strict = PayloadDecoder(registry: .builtIn, limits: PayloadLimits(maxPayloadBytes: 1 << 20, maxDepth: 64, maxSecondsAhead: 3600),
                                    clock: ManualClock(Self.now))
        #expect(throws: Never.self) { try decode("\(Self.now + 3000)", decoder: strict).get() }
        if case .success = decode("\(Self.now + 7200)", decoder: strict) { Issue.record("two hours ahead passed a one-hour tolerance") }
    }

    @Test(arguments: ["2026-13-01T00:00:00", "2026-02-29T00:00:00", "2026-09-21T24:00:00", "2026-09-21", "yesterday",
                      "2026-09-21T14:13:20+25:00", "2026-09-21T14:13:20.", "2026-09-21T14:13:20Zjunk", "2126-09-21T14:13:20Z"])
    func test_refusesMalformedOrImplausibleISOStrings(_ text: String) {
        #expect(refusal("\"\(text)\"")?.field == "detection_time", "\(text)")
    }

    @Test func test_readsISOStringsInEveryZoneForm() throws {
        #expect(try decode("\"2026-09-21T14:13:20\"").get() == Self.now)
        #expect(try decode("\"2026-09-21t14:13:20z\"").get() == Self.now)
        #expect(try decode("\"2026-09-21T15:13:20+01\"").get() == Self.now)
        #expect(try decode("\"2026-09-21T13:43:20-00:30\"").get() == Self.now)
        #expect(try decode("\"2024-02-29T00:00:00Z\"").get() == 1_709_164_800)
        #expect(try decode("\"1970-01-01T00:00:00.25Z\"").get() == 0.25)
    }

    @Test func test_refusesOtherTypesNamingBothForms() {
        #expect(refusal("true")?.reason.contains("a number (Unix seconds) or an ISO 8601 string") == true)
        #expect(refusal("null")?.field == "detection_time")
    }

    @Test func test_formattingAndAgesAreTotalOverAnyStoredValue() {
        for value in [Double.nan, .infinity, -.infinity, 1e300, -1e300, 1e19, -62_135_596_801, 253_402_300_800] {
            #expect(ISOTime.format(value).count == 24, "\(value)")
            #expect(!ISOTime.relative(value, now: Self.now).isEmpty, "\(value)")
        }
        #expect(ISOTime.format(1e300) == "9999-12-31T23:59:59.000Z")
        #expect(DurationText.seconds("99999999999999999999999w") == nil)
        #expect(DurationText.format(.infinity) == "0s")
    }
}
