/// Reads a store's notifications in id order without losing one whose transaction commits after a
/// higher id's (two ingesters, or an ingester and an `assign`, on the team store).
///
/// Ids come from a sequence when a row is written, not when it commits, so an id below the newest
/// one read may still appear. Each id skipped over is remembered as a hole and looked at again on
/// every read for `holeLifetime` seconds (a rolled-back transaction's ids never fill, so holes
/// cannot be kept for good); what fills one is returned once, in id order with the rest.
public struct NotificationCursor: Sendable {
    /// The newest id read.
    public private(set) var highWater: Int64
    /// Ids below `highWater` not read yet, with when each was first found missing.
    private var holes: [Int64: Double] = [:]

    /// Longer than any transaction the store lets wait (a lock waited on gives up after 15 s).
    public static let holeLifetime = 60.0
    /// A jump larger than this (a sequence skipping ahead after a server crash) is not all kept as holes.
    static let largestGap: Int64 = 1000
    static let pageSize = 1000

    /// Starts after `id`: what the store holds up to it is not news.
    public init(after id: Int64) {
        highWater = id
    }

    /// Ids still awaited, lowest first (for tests and diagnostics).
    public var awaited: [Int64] { holes.keys.sorted() }

    /// Notifications not returned before, in id order: new ones past `highWater`, and late commits filling holes.
    public mutating func read(from store: any IssueStore, now: Double) throws -> [TriageNotification] {
        holes = holes.filter { now - $0.value < Self.holeLifetime }
        var after = holes.keys.min().map { $0 - 1 } ?? highWater
        var arrived: [TriageNotification] = []
        while true {
            let batch = try store.notifications(after: after, limit: Self.pageSize)
            for notification in batch {
                if notification.id > highWater {
                    let gap = notification.id - highWater - 1
                    if gap > 0 {
                        let first = notification.id - min(gap, Self.largestGap)
                        for missing in first..<notification.id { holes[missing] = now }
                    }
                    highWater = notification.id
                    arrived.append(notification)
                } else if holes.removeValue(forKey: notification.id) != nil {
                    arrived.append(notification)
                }
            }
            guard let last = batch.last, batch.count == Self.pageSize else { break }
            after = last.id
        }
        return arrived.sorted { $0.id < $1.id }
    }
}
