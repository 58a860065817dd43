/// Store failures a user can act on, each one sentence naming the store or the group.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case newerSchema(path: String)
    case groupNotFound(String)
    case illegalTransition(group: String, from: GroupState, to: String, reason: String)
    case alreadyLinked(groupID: Int64, tracker: String, externalID: String)
    case notLinked(groupID: Int64, tracker: String)
    /// A ticket is being filed, or its filing's outcome is unknown (`GroupLink.isClaim`).
    case linkClaimed(groupID: Int64, tracker: String, by: String, at: Double)
    /// A ticket was filed but its claim was cleared or replaced meanwhile: it is not linked.
    case claimLost(groupID: Int64, tracker: String, externalID: String)
    /// A stored payload that cannot be decompressed (the store file was damaged or edited).
    case damagedPayload(String)
    /// A record of the ingest's own bookkeeping that cannot be read (the store was damaged or edited).
    case damagedLedger(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open the store at \(path): \(reason)"
        case let .newerSchema(path):
            return "the store at \(path) was written by a newer version of triage; upgrade triage or use another --store"
        case let .groupNotFound(reference): return "no group \(Sanitized.quote(reference)) in this store"
        case let .illegalTransition(group, from, to, reason): return "group \(group) is \(from); cannot \(to): \(reason)"
        case let .alreadyLinked(groupID, tracker, externalID):
            return "group \(groupID) is already linked to \(Sanitized.quote(externalID)) in \(tracker); unlink it first"
        case let .notLinked(groupID, tracker): return "group \(groupID) has no link in \(tracker)"
        case let .linkClaimed(groupID, tracker, by, at):
            return "a ticket for group \(groupID) in \(tracker) is being filed, or its outcome is unknown (by \(Sanitized.quote(by)) at \(ISOTime.format(at))); "
                + GroupLink.settleHint(groupID: groupID, tracker: tracker)
        case let .claimLost(groupID, tracker, externalID):
            return "\(tracker) filed \(Sanitized.quote(externalID)) for group \(groupID), but the claim on its link was cleared or replaced meanwhile: "
                + "that ticket is not linked"
        case let .damagedPayload(reason): return "a stored payload cannot be read back: \(reason); the store may be damaged"
        case let .damagedLedger(reason): return "the ingest ledger cannot be read: \(reason); the store may be damaged"
        }
    }
}
