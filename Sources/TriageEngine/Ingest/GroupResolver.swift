/// Finds the group an occurrence's grouping key belongs to, and creates it. Keys are cached across
/// transactions: a key's group id and type never change once created, so the cache cannot go stale
/// (after a rollback the pass empties it: the groups it created are gone).
final class GroupResolver {
    private let session: any IngestSession
    private let cache: GroupKeyCache
    private let registry: GroupTypeRegistry
    private let flags: ReleaseFlags

    init(session: any IngestSession, cache: GroupKeyCache, registry: GroupTypeRegistry, flags: ReleaseFlags) {
        self.session = session
        self.cache = cache
        self.registry = registry
        self.flags = flags
    }

    func find(_ key: GroupKey) throws -> CachedGroup? {
        if let cached = cache[key] { return cached }
        // Missing when the batch began: if another ingester has created it since, creating it finds
        // theirs (`createGroup` returns the existing group), and a noise window names it.
        if cache.isKnownAbsent(key) { return nil }
        guard let found = try session.findGroup(key) else { return nil }
        cache[key] = found
        return found
    }

    /// Looks up a batch's keys the cache does not know in one go, where the store wants it
    /// (`findsInBulk`): a store a round trip away would otherwise pay one per new key.
    func prefind(_ keys: [GroupKey]) throws {
        guard session.findsInBulk else { return }
        let unknown = Array(Set(keys.filter { cache[$0] == nil }))
        guard !unknown.isEmpty else { return cache.noteAbsent([]) }
        let found = try session.findGroups(unknown)
        for (key, group) in found { cache[key] = group }
        cache.noteAbsent(Set(unknown.filter { found[$0] == nil }))
    }

    /// A group the writer learnt of otherwise (a noise window naming it).
    func remember(_ key: GroupKey, _ group: CachedGroup) { cache[key] = group }

    /// Creates the occurrence's group (UNRESOLVED/NEW, seen 0 times: its counts come with the flush).
    func create(for occurrence: Occurrence, type: GroupType, at now: Double) throws -> Int64 {
        let groupID = try session.createGroup(newGroup(occurrence, type), at: now)
        cache[occurrence.groupKey] = CachedGroup(id: groupID, typeID: occurrence.typeID)
        return groupID
    }

    /// `create` for the first occurrences of several keys in one call to the store.
    func create(firstOf occurrences: [(Occurrence, GroupType)], at now: Double) throws -> [(id: Int64, made: Bool)] {
        guard let groups = try session.createGroups(occurrences.map(newGroup), at: now) else { return [] }
        for ((occurrence, _), group) in zip(occurrences, groups) {
            cache[occurrence.groupKey] = CachedGroup(id: group.id, typeID: occurrence.typeID)
        }
        return groups
    }

    /// After `withdrawGroups`: the keys have no group again.
    func forget(_ keys: [GroupKey]) { cache.forget(keys) }

    private func newGroup(_ occurrence: Occurrence, _ type: GroupType) -> NewGroup {
        NewGroup(occurrence: occurrence, priority: occurrence.initialPriority ?? type.defaultPriority,
                 searchText: SearchText.fold(occurrence.headline),
                 postProcessed: flags.allows(.postProcess, type: type, project: occurrence.projectID))
    }

    /// Why an occurrence cannot join the group its key names: the group has another type.
    func typeMismatch(_ occurrence: Occurrence, group: CachedGroup) -> PayloadError {
        let groupSlug = registry.type(id: group.typeID)?.slug ?? "\(group.typeID)"
        return .invalidValue(field: "type", reason: "is \(occurrence.typeID) but group \(ShortID.format(projectID: occurrence.projectID, groupID: group.id)) for this fingerprint has type \(group.typeID) (\(groupSlug))")
    }
}
