/// Spec §4: below its type's limit an occurrence without a group is held (triage keeps it, Sentry
/// drops it); the one that reaches the limit within the sliding window forms the group, and the
/// window's held occurrences join it.
struct NoiseGate {
    enum Admission {
        /// Held in this window, with no group yet.
        case hold(NoiseWindow)
        /// Reached the limit: the key's group forms now (`release` once it exists).
        case formsGroup(NoiseWindow)
        /// The key's group formed since the writer looked for it (another ingester of a shared
        /// store formed it): the occurrence joins it, uncounted by the window.
        case joins(groupID: Int64)
    }

    let session: any IngestSession
    let decoder: PayloadDecoder

    /// Counts the occurrence in its key's window.
    func admit(_ occurrence: Occurrence, key: GroupKey, noise: NoiseConfig) throws -> Admission {
        var window = try session.noiseWindow(for: key, typeID: occurrence.typeID)
        if let groupID = window.groupID { return .joins(groupID: groupID) }
        window.count(occurrence.detectionTime, expiry: noise.expiryTime)
        guard window.windowCount >= noise.ignoreLimit else {
            try session.saveNoiseWindow(window)
            return .hold(window)
        }
        return .formsGroup(window)
    }

    /// Records the key's new group and attaches the window's held occurrences to it; returns those
    /// that decode (all of them, unless the store damaged one) and how many there were.
    func release(_ window: NoiseWindow, into groupID: Int64) throws -> (held: [(occurrence: Occurrence, seq: Int64)], count: Int) {
        var window = window
        window.groupID = groupID
        try session.saveNoiseWindow(window)
        let held = try session.releaseHeld(window, into: groupID)
        // Held rows were validated on arrival; decoding again recovers the fields the group needs.
        let decoded = held.compactMap { row -> (occurrence: Occurrence, seq: Int64)? in
            guard case let .occurrence(occurrence) = try? decoder.decode(row.payload) else { return nil }
            return (occurrence, row.seq)
        }
        return (decoded, held.count)
    }
}
