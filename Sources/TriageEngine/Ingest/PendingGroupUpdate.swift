/// Counters and latest fields for one group, gathered over a transaction. A class: the flush
/// walks every group's update, and as a struct each one was copied out of the dictionary with its
/// hours, users and latest fields.
package final class PendingGroupUpdate {
    package private(set) var count = 0
    package private(set) var firstSeen: Double
    package private(set) var newest: LatestFields
    /// Occurrences per hour of detection time.
    package private(set) var hours: [Int64: Int] = [:]
    package private(set) var users: [String: (firstSeq: Int64, lastSeq: Int64, lastSeen: Double)] = [:]
    /// Counted occurrences whose rows retention kept out of the store.
    package private(set) var notInserted = 0

    init(first: Occurrence) {
        firstSeen = first.detectionTime
        newest = LatestFields(first)
    }

    func add(_ occurrence: Occurrence) {
        count += 1
        firstSeen = min(firstSeen, occurrence.detectionTime)
        if occurrence.detectionTime >= newest.detectionTime { newest = LatestFields(occurrence) }
        hours[Int64((occurrence.detectionTime / 3600).rounded(.down)), default: 0] += 1
    }

    /// Users are noted once their occurrence has a sequence number, which the flush assigns.
    func noteUser(_ user: String, seq: Int64, seen: Double) {
        Self.merge(&users[user, default: (seq, seq, seen)], seq: seq, seen: seen)
    }

    /// One hash lookup per user noted, through the subscript's in-place access.
    private static func merge(_ known: inout (firstSeq: Int64, lastSeq: Int64, lastSeen: Double), seq: Int64, seen: Double) {
        known = (min(known.firstSeq, seq), max(known.lastSeq, seq), max(known.lastSeen, seen))
    }

    func countNotInserted() { notInserted += 1 }
}

/// What a group takes from its newest occurrence at the flush. Not the occurrence itself: that
/// kept its payload in memory until the flush, for every group a transaction touched.
package struct LatestFields {
    package let detectionTime: Double
    package let typeID: Int
    package let projectID: Int64
    package let headline: OccurrenceHeadline

    init(_ occurrence: Occurrence) {
        detectionTime = occurrence.detectionTime
        typeID = occurrence.typeID
        projectID = occurrence.projectID
        headline = occurrence.headline
    }
}

/// The groups a transaction touched since its last flush, each with its pending update.
final class GroupUpdates {
    private var pending: [Int64: PendingGroupUpdate] = [:]
    /// Groups created since the last flush, with their creating occurrence's time: their row is
    /// known without reading it back (UNRESOLVED/NEW, seen 0 times).
    private var created: [Int64: Double] = [:]

    subscript(groupID: Int64) -> PendingGroupUpdate? { pending[groupID] }

    /// The group's update, begun with `first` if it has none yet.
    func update(_ groupID: Int64, first: Occurrence) -> PendingGroupUpdate {
        if let update = pending[groupID] { return update }
        let update = PendingGroupUpdate(first: first)
        pending[groupID] = update
        return update
    }

    func noteCreated(_ groupID: Int64, at time: Double) { created[groupID] = time }

    /// Takes one group's update out, with its creation time if it was created since the last flush.
    func take(_ groupID: Int64) -> (update: PendingGroupUpdate, createdAt: Double?)? {
        guard let update = pending.removeValue(forKey: groupID) else { return nil }
        return (update, created.removeValue(forKey: groupID))
    }

    /// Takes every update out, in the order the flush writes them.
    func takeAll() -> [(groupID: Int64, update: PendingGroupUpdate, createdAt: Double?)] {
        let all = pending.map { (groupID: $0.key, update: $0.value, createdAt: created[$0.key]) }
        pending.removeAll(keepingCapacity: true)
        created.removeAll(keepingCapacity: true)
        return all
    }
}
