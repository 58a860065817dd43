/// The grouping key: (project, first fingerprint element).
package struct GroupKey: Hashable {
    package let projectID: Int64
    package let fingerprint: String

    package init(projectID: Int64, fingerprint: String) {
        self.projectID = projectID
        self.fingerprint = fingerprint
    }
}

extension Occurrence {
    package var groupKey: GroupKey { GroupKey(projectID: projectID, fingerprint: groupFingerprint) }
}

package struct CachedGroup: Equatable {
    package let id: Int64
    package let typeID: Int

    package init(id: Int64, typeID: Int) {
        self.id = id
        self.typeID = typeID
    }
}

/// Group ids by key, kept across transactions (a group's id and type never change).
/// Bounded: when full it starts over rather than tracking recency, which costs one lookup per key.
final class GroupKeyCache {
    private var entries: [GroupKey: CachedGroup] = [:]
    /// Keys a bulk lookup (`GroupResolver.prefind`) found no group for, as of the current batch.
    private var absent: Set<GroupKey> = []
    private let capacity: Int

    init(capacity: Int = 200_000) { self.capacity = capacity }

    /// After a rollback: groups it created are gone from the store.
    func removeAll() {
        entries.removeAll(keepingCapacity: true)
        absent.removeAll()
    }

    /// Replaces what the last bulk lookup found missing.
    func noteAbsent(_ keys: Set<GroupKey>) { absent = keys }

    func isKnownAbsent(_ key: GroupKey) -> Bool { absent.contains(key) }

    /// Keys whose groups were withdrawn: known to have none again.
    func forget(_ keys: [GroupKey]) {
        for key in keys { entries[key] = nil }
        absent.formUnion(keys)
    }

    subscript(key: GroupKey) -> CachedGroup? {
        get { entries[key] }
        set {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = newValue
            absent.remove(key)
        }
    }
}
