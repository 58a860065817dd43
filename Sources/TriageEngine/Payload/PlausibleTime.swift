/// The one rule for a payload's time: a number of Unix seconds or an ISO 8601 date-time, finite,
/// not negative, and not further ahead of the ingesting clock than the configured tolerance.
///
/// A time far ahead would become a group's `last_seen` forever and sort it first; numbers past the
/// 64-bit range cannot be bucketed by hour at all. The likely mistake (milliseconds, microseconds,
/// nanoseconds) is named, since that is what a producer sending them has nearly always done.
struct PlausibleTime {
    let now: Double
    let maxSecondsAhead: Double

    func seconds(_ value: JSONValue, field: String) throws(PayloadError) -> Double {
        let seconds: Double
        if value.isString {
            let parsed = value.rawBytes.withContiguousStorageIfAvailable { ISODateTimeText.seconds($0) } ?? ISODateTimeText.seconds(Array(value.rawBytes))
            guard let parsed else {
                let text = (try? value.requireString(field)) ?? ""
                throw .invalidValue(field: field, reason: "\(Sanitized.quote(text)) is not an ISO 8601 date-time such as 2026-12-07T04:28:59Z")
            }
            seconds = parsed
        } else if value.isNumber {
            guard let number = value.double else {
                throw .invalidValue(field: field, reason: "\(Sanitized.quote(String(decoding: value.rawBytes, as: UTF8.self))) is not a finite number of seconds")
            }
            seconds = number
        } else {
            throw .wrongType(field: field, expected: "a number (Unix seconds) or an ISO 8601 string", found: value.typeName)
        }
        guard seconds >= 0 else {
            throw .invalidValue(field: field, reason: "is before 1970 (\(Self.describe(seconds))); expected Unix seconds")
        }
        let latest = now + maxSecondsAhead
        guard seconds <= latest else { throw .invalidValue(field: field, reason: tooFarAhead(seconds, latest: latest)) }
        return seconds
    }

    private func tooFarAhead(_ seconds: Double, latest: Double) -> String {
        let hours = (maxSecondsAhead / 3600).formatted
        let ahead = "is more than \(hours) h ahead of this machine's clock"
        // A plausible time scaled by 10^3, 10^6 or 10^9 is far likelier a unit mistake than a date.
        let oneYear = 365.0 * 86_400
        for (scale, unit) in [(1e3, "milliseconds"), (1e6, "microseconds"), (1e9, "nanoseconds")] {
            let scaled = seconds / scale
            if scaled <= latest, scaled >= now - 50 * oneYear {
                return "\(ahead) (\(Self.describe(seconds))); it looks like \(unit): send Unix seconds (\(Self.describe(scaled)))"
            }
        }
        return "\(ahead) (\(Self.describe(seconds)))"
    }

    /// A date when one can be written, else the number itself.
    private static func describe(_ seconds: Double) -> String {
        ISOTime.isRepresentable(seconds) ? ISOTime.format(seconds) : "\(seconds) s"
    }
}

private extension Double {
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
