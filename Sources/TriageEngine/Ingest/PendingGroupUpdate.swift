/// Counters and latest fields for one group, gathered over a transaction. A class: the flush
/// walks every group's update, and as a struct each one was copied out of the dictionary with its
/// hours, users and latest fields.
final class PendingGroupUpdate {
    private(set) var count = 0
    private(set) var firstSeen: Double
    private(set) var newest: LatestFields
    /// Occurrences per hour of detection time.
    private(set) var hours: [Int64: Int] = [:]
    private(set) var users: [String: (firstSeq: Int64, lastSeq: Int64, lastSeen: Double)] = [:]
    /// Counted occurrences whose rows retention kept out of the store.
    private(set) var notInserted = 0

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
struct LatestFields {
    let detectionTime: Double
    let typeID: Int
    let projectID: Int64
    let headline: OccurrenceHeadline

    init(_ occurrence: Occurrence) {
        detectionTime = occurrence.detectionTime
        typeID = occurrence.typeID
        projectID = occurrence.projectID
        headline = occurrence.headline
    }
}
