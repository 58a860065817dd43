/// What became of one occurrence.
enum OccurrenceOutcome: Equatable {
    /// Stored on its group; `releasedHeld` counts the noise-held occurrences attached with it.
    case grouped(createdGroup: Bool, releasedHeld: Int)
    /// Stored, but held below its type's noise limit.
    case held
    case duplicate
    case rejected(PayloadError)
}

/// What became of one status-change payload.
enum StatusChangeOutcome: Equatable {
    case changed
    case unchanged
    /// Its `id` was applied before (a file put back into the spool, a producer's retry).
    case duplicate
    case rejected(PayloadError)
}

/// Applies validated payloads to a store's open batch (`IngestSession`), composing the parts that
/// each own one rule: finding and creating groups (`GroupResolver`), the noise limit (`NoiseGate`),
/// the stored payload (`PayloadPacker`), staged rows and retention (`OccurrenceInserter`), the
/// rules occurrences trigger (`OccurrenceRules`) and status-change payloads (`StatusChangeApplier`).
///
/// Per occurrence the common case costs one claim of its id at once (which is what deduplicates,
/// retired ids included) and its row at `flush()`. Group counters, times and "latest" fields are
/// accumulated in memory and written once per group in `flush()`, which the caller runs before
/// committing.
final class IngestWriter {
    private let session: any IngestSession
    private let registry: GroupTypeRegistry
    private let settings: EngineSettings
    /// The time recorded for transitions and notifications: the clock at the start of the current
    /// transaction (a long pass must not stamp later changes with its start time).
    private(set) var now: Double
    private let groups: GroupResolver
    private let noise: NoiseGate
    private let packer: PayloadPacker
    private let inserter: OccurrenceInserter
    private let updates = GroupUpdates()
    private let rules: OccurrenceRules
    private let statusChanges: StatusChangeApplier
    /// Ids claimed in bulk ahead of their occurrences (`preclaim`): whether each was claimed.
    private var preclaimed: [UUIDBytes: Bool] = [:]
    /// Groups created in bulk ahead of their first occurrence (`precreate`) that it has not reached
    /// yet, and whether this writer made them.
    private var precreated: [GroupKey: (id: Int64, made: Bool)] = [:]

    /// Never backwards: a clock stepped back must not reorder a group's history.
    func advanceClock(to time: Double) { now = max(now, time) }

    init(session: any IngestSession, decoder: PayloadDecoder, cache: GroupKeyCache, now: Double,
         settings: EngineSettings = EngineSettings(), stagedBytes: Int = IngestMemory.throughput.stagedBytes,
         publishingDictionaryTo dictionary: CurrentDictionary = CurrentDictionary()) throws {
        self.session = session
        registry = decoder.registry
        self.settings = settings
        self.now = now
        groups = GroupResolver(session: session, cache: cache, registry: registry, flags: settings.flags)
        noise = NoiseGate(session: session, decoder: decoder)
        packer = try PayloadPacker(session: session, publishingTo: dictionary)
        inserter = OccurrenceInserter(session: session, keep: settings.keepOccurrences, stagedBytes: stagedBytes)
        rules = OccurrenceRules(session: session, registry: registry, settings: settings)
        statusChanges = StatusChangeApplier(session: session, registry: registry)
    }

    var regressions: Int { rules.regressions }
    var escalations: Int { rules.escalations }

    // MARK: Occurrences

    /// `prepared`: the row's bytes, if the decode queue made them (`RowPreparation`).
    func ingest(_ occurrence: Occurrence, prepared: PreparedRow? = nil) throws -> OccurrenceOutcome {
        let key = occurrence.groupKey
        let type = registry.type(id: occurrence.typeID)!
        guard settings.flags.allows(.ingest, type: type, project: occurrence.projectID) else {
            let flag = ReleaseFlags.Gate.ingest.flag(for: type.slug)
            return .rejected(.invalidValue(field: "type", reason: "\(type.slug) (\(type.id)) is not released and its flag \(flag) is off for project \(occurrence.projectID); turn it on in [flags] or [projects.\(occurrence.projectID).flags]"))
        }
        let group = try groups.find(key)
        if let group, group.typeID != occurrence.typeID { return .rejected(groups.typeMismatch(occurrence, group: group)) }
        guard try claim(occurrence.idBytes) else { return .duplicate }
        if let group {
            let created = !precreated.isEmpty && precreated.removeValue(forKey: key) != nil
            if created { updates.noteCreated(group.id, at: occurrence.detectionTime) }
            try stage(occurrence, prepared, groupID: group.id)
            return .grouped(createdGroup: created, releasedHeld: 0)
        }
        guard let noiseConfig = type.noiseConfig else {
            try stage(occurrence, prepared, groupID: createGroup(for: occurrence, type: type))
            return .grouped(createdGroup: true, releasedHeld: 0)
        }
        switch try noise.admit(occurrence, key: key, noise: noiseConfig) {
        case let .hold(window):
            try session.hold(packer.row(occurrence, prepared, groupID: nil, noise: (window.id, window.window), at: now))
            return .held
        case let .formsGroup(window):
            let groupID = try createGroup(for: occurrence, type: type)
            let released = try noise.release(window, into: groupID)
            for (held, seq) in released.held {
                let update = updates.update(groupID, first: held)
                update.add(held)
                if let user = held.user { update.noteUser(user, seq: seq, seen: held.detectionTime) }
            }
            try stage(occurrence, prepared, groupID: groupID)
            return .grouped(createdGroup: true, releasedHeld: released.count)
        case let .joins(groupID):
            groups.remember(key, CachedGroup(id: groupID, typeID: occurrence.typeID))
            try stage(occurrence, prepared, groupID: groupID)
            return .grouped(createdGroup: false, releasedHeld: 0)
        }
    }

    /// Claims the ids of a batch's occurrences at once where the store wants it (`claimsInBulk`);
    /// each is then taken as its occurrence is applied, and those never taken are given back at the flush.
    var claimsInBulk: Bool { session.claimsInBulk }

    func preclaim(_ ids: [UUIDBytes]) throws {
        guard session.claimsInBulk, !ids.isEmpty else { return }
        let ids = ids.filter { preclaimed[$0] == nil }
        for (id, claimed) in zip(ids, try session.claim(ids)) where preclaimed[id] == nil { preclaimed[id] = claimed }
    }

    var findsInBulk: Bool { session.findsInBulk }

    /// Looks up a batch's grouping keys at once where the store wants it (`findsInBulk`).
    func prefind(_ keys: [GroupKey]) throws { try groups.prefind(keys) }

    var createsInBulk: Bool { session.createsInBulk }

    /// Creates at once the groups a batch's occurrences would create one by one (`createsInBulk`):
    /// for each key with no group, whose type holds no noise limit and is let in, from its first
    /// occurrence whose id was claimed, in the order of those occurrences. Call after `preclaim`
    /// and `prefind`.
    func precreate(_ occurrences: [Occurrence]) throws {
        guard session.createsInBulk else { return }
        var firsts: [(Occurrence, GroupType)] = []
        var keys = Set<GroupKey>()
        for occurrence in occurrences where preclaimed[occurrence.idBytes] == true {
            let key = occurrence.groupKey
            guard !keys.contains(key), let type = registry.type(id: occurrence.typeID), type.noiseConfig == nil,
                  settings.flags.allows(.ingest, type: type, project: occurrence.projectID), try groups.find(key) == nil
            else { continue }
            keys.insert(key)
            firsts.append((occurrence, type))
        }
        guard !firsts.isEmpty else { return }
        for ((occurrence, _), group) in zip(firsts, try groups.create(firstOf: firsts, at: now)) {
            precreated[occurrence.groupKey] = group
        }
    }

    /// Before a commit: groups created ahead whose occurrence was not reached go (they will be
    /// created again when it is), so no reader sees a group seen 0 times.
    private func withdrawUnjoinedGroups() throws {
        guard !precreated.isEmpty else { return }
        let made = precreated.values.filter(\.made).map(\.id)
        try session.withdrawGroups(made)
        groups.forget(Array(precreated.keys))
        precreated.removeAll()
    }

    private func claim(_ id: UUIDBytes) throws -> Bool {
        if !preclaimed.isEmpty, let known = preclaimed.removeValue(forKey: id) { return known }
        return try session.claim(id)
    }

    /// Before a commit: ids claimed in bulk whose occurrences were refused or not reached go back.
    private func returnUnusedClaims() throws {
        guard !preclaimed.isEmpty else { return }
        let unused = preclaimed.compactMap { $0.value ? $0.key : nil }
        preclaimed.removeAll()
        if !unused.isEmpty { try session.unclaim(unused) }
    }

    private func createGroup(for occurrence: Occurrence, type: GroupType) throws -> Int64 {
        let groupID = try groups.create(for: occurrence, type: type, at: now)
        updates.noteCreated(groupID, at: occurrence.detectionTime)
        return groupID
    }

    /// Holds a grouped occurrence's row for the flush and counts it on its group.
    private func stage(_ occurrence: Occurrence, _ prepared: PreparedRow?, groupID: Int64) throws {
        let full = inserter.stage(try packer.row(occurrence, prepared, groupID: groupID, noise: nil, at: now))
        updates.update(groupID, first: occurrence).add(occurrence)
        if full { try flush() }
    }

    // MARK: Status changes

    func apply(_ change: StatusChange) throws -> StatusChangeOutcome {
        let key = GroupKey(projectID: change.projectID, fingerprint: change.fingerprint[0])
        // A group created ahead is not there yet for a change before its first occurrence.
        guard let group = try groups.find(key), precreated[key] == nil else {
            // Often a race, not a mistake: say how to apply it once the occurrence has landed.
            return .rejected(.invalidValue(field: "fingerprint", reason: "no group in project \(change.projectID) has fingerprint "
                + "\(Sanitized.quote(change.fingerprint[0])) yet (a status change applies only after its group's first occurrence; "
                + "move the failed/ copy back into the spool once that has landed)"))
        }
        // With an id, a change applies once, as an occurrence is stored once: the ids share one
        // claim, and a change refused above has not claimed its id, so it can still come later.
        if let id = change.id.flatMap(UUIDText.normalize).map(UUIDBytes.init(hex:)), try !claim(id) { return .duplicate }
        // Occurrences before this payload must regress (or escalate) its group before the change
        // lands; other groups' pending counts are unaffected by it, so they wait for the flush.
        try flush(only: group.id)
        return try statusChanges.apply(change, to: group, at: now)
    }

    // MARK: Flush

    /// Writes the staged rows, then each touched group's counters, latest fields, hours and users,
    /// then applies the rules its new occurrences trigger (`OccurrenceRules`).
    func flush() throws {
        try returnUnusedClaims()
        try inserter.insertAll(noting: updates)
        try write(updates.takeAll())
        try session.indexSearchText()
    }

    /// Everything the transaction holds pending, before the caller commits it.
    func finishTransaction() throws {
        try withdrawUnjoinedGroups()
        try flush()
    }

    /// Brings one group up to date (for a status change aimed at it); the rest stay pending.
    private func flush(only groupID: Int64) throws {
        guard updates[groupID] != nil else { return }
        // Its staged rows first: their users are noted with the sequence numbers the inserts assign.
        try inserter.insert(of: groupID, noting: updates)
        guard let taken = updates.take(groupID) else { return }
        try write([(groupID, taken.update, taken.createdAt)])
    }

    private func write(_ taken: [(groupID: Int64, update: PendingGroupUpdate, createdAt: Double?)]) throws {
        guard !taken.isEmpty else { return }
        let counts = taken.map { group in
            let headline = group.update.newest.headline
            return GroupCounts(groupID: group.groupID, update: group.update,
                               priority: headline.initialPriority,
                               searchText: SearchText.fold(headline), createdAt: group.createdAt)
        }
        let standings = try session.writeCounts(counts)
        for (group, standing) in zip(counts, standings) {
            guard let standing else { continue }
            try rules.apply(to: group.groupID, standing: standing, newest: group.update.newest, at: now)
            try session.noteKept(group.groupID, kept: standing.timesSeen - standing.retired)
        }
    }

    var holdsOccurrencesToPrune: Bool { session.holdsOccurrencesToPrune }

    /// Removes what retention holds back from the groups over their limit; the pass calls it last.
    func pruneOccurrences() throws {
        try flush()
        try session.pruneNoted()
    }
}
