/// An occurrence row ready to insert: its payload already in the bytes the store keeps.
package struct OccurrenceRow {
    package let id: UUIDBytes
    package let groupID: Int64?
    package let typeID: Int
    package let detectionTime: Double
    package let eventID: UUIDBytes
    package let noise: (key: Int64, window: Int64)?
    package let payload: [UInt8]
    /// The dictionary `payload` was compressed with; nil when it is stored verbatim.
    package let dictionaryID: Int64?
    package let user: String?
}

/// The grouped occurrence rows of a transaction, held until its flush, when the transaction knows
/// how many each group got: a group's rows beyond the newest ones retention keeps are never
/// inserted. With a Zipf-like flood, that is about half of all rows, and each one skipped is a row
/// and an index entry neither written nor, later, deleted.
///
/// A status change takes out only its own group's rows (`take`): inserting the whole batch before
/// each one cut batches short, and rows retention would have skipped were written and then pruned.
struct StagedRows {
    /// Rows only, not (group, row) pairs: each pair read out of the array for a comparison or an
    /// insert was copied, retaining its payload and user; a row's own fields are read in place.
    private(set) var rows: [OccurrenceRow] = []
    /// Each group's rows still staged, by position in arrival order.
    private var positions: [Int64: [Int]] = [:]
    /// Positions taken out by `take`; nil until the first take, so a batch without one pays nothing.
    private var taken: [Bool]?
    /// Payload bytes held; the writer flushes early past `IngestMemory.stagedBytes`, so a run of
    /// large payloads holds a bounded amount.
    private(set) var payloadBytes = 0

    var isEmpty: Bool { positions.isEmpty }

    /// A grouped row (held rows are inserted at once, never staged).
    mutating func append(_ row: OccurrenceRow) {
        guard let group = row.groupID else { preconditionFailure("only grouped rows are staged") }
        positions[group, default: []].append(rows.count)
        rows.append(row)
        taken?.append(false)
        payloadBytes += row.payload.count
    }

    /// The positions still staged, in arrival order.
    var remaining: [Int] {
        guard let taken else { return Array(rows.indices) }
        return rows.indices.filter { !taken[$0] }
    }

    /// Takes one group's rows out of the batch; returns their positions, in arrival order.
    mutating func take(group: Int64) -> [Int] {
        guard let groupPositions = positions.removeValue(forKey: group) else { return [] }
        if taken == nil { taken = [Bool](repeating: false, count: rows.count) }
        for position in groupPositions {
            taken![position] = true
            payloadBytes -= rows[position].payload.count
        }
        return groupPositions
    }

    /// Every staged group's positions, in arrival order.
    var groups: [Int64: [Int]] { positions }

    /// Which rows (by position) of `groups` their group will not keep: past `limit(group)` of its
    /// newest, newest by detection time and then by arrival, the order retention keeps by.
    func beyondRetention(of groups: some Sequence<(key: Int64, value: [Int])>, keep: Int,
                         limit: (Int64) throws -> Int) rethrows -> [Int] {
        var beyond: [Int] = []
        for (group, groupPositions) in groups where groupPositions.count > keep {
            let kept = try limit(group)
            guard groupPositions.count > kept else { continue }
            let newestFirst = groupPositions.sorted {
                let (a, b) = (rows[$0].detectionTime, rows[$1].detectionTime)
                return a != b ? a > b : $0 > $1
            }
            beyond += newestFirst[kept...]
        }
        return beyond
    }

    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        taken = nil
        payloadBytes = 0
    }
}
