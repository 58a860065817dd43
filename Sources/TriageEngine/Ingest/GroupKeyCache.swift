/// The grouping key: (project, first fingerprint element).
struct GroupKey: Hashable {
    let projectID: Int64
    let fingerprint: String
}

struct CachedGroup: Equatable {
    let id: Int64
    let typeID: Int
}

/// Group ids by key, kept across transactions (a group's id and type never change).
/// Bounded: when full it starts over rather than tracking recency, which costs one lookup per key.
final class GroupKeyCache {
    private var entries: [GroupKey: CachedGroup] = [:]
    private let capacity: Int

    init(capacity: Int = 200_000) { self.capacity = capacity }

    /// After a rollback: groups it created are gone from the store.
    func removeAll() { entries.removeAll(keepingCapacity: true) }

    subscript(key: GroupKey) -> CachedGroup? {
        get { entries[key] }
        set {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = newValue
        }
    }
}
