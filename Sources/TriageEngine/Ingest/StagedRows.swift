/// An occurrence row ready to insert: its payload already in the bytes the store keeps.
struct OccurrenceRow {
    let id: UUIDBytes
    let groupID: Int64?
    let typeID: Int
    let detectionTime: Double
    let eventID: UUIDBytes
    let noise: (key: Int64, window: Int64)?
    let payload: [UInt8]
    /// The dictionary `payload` was compressed with; nil when it is stored verbatim.
    let dictionaryID: Int64?
    let user: String?
}

/// The grouped occurrence rows of a transaction, held until its flush, when the transaction knows
/// how many each group got: a group's rows beyond the newest ones retention keeps are never
/// inserted. With a Zipf-like flood, that is about half of all rows, and each one skipped is a row
/// and an index entry neither written nor, later, deleted.
struct StagedRows {
    /// Rows only, not (group, row) pairs: each pair read out of the array for a comparison or an
    /// insert was copied, retaining its payload and user; a row's own fields are read in place.
    private(set) var rows: [OccurrenceRow] = []
    private var perGroup: [Int64: Int] = [:]
    /// Payload bytes held; the writer flushes early past `IngestMemory.stagedBytes`, so a run of
    /// large payloads holds a bounded amount.
    private(set) var payloadBytes = 0

    var isEmpty: Bool { rows.isEmpty }

    /// A grouped row (held rows are inserted at once, never staged).
    mutating func append(_ row: OccurrenceRow) {
        guard let group = row.groupID else { preconditionFailure("only grouped rows are staged") }
        rows.append(row)
        perGroup[group, default: 0] += 1
        payloadBytes += row.payload.count
    }

    /// Which rows (by position) a group will not keep: past `limit(group)` of its newest, newest by
    /// detection time and then by arrival, the order retention keeps by.
    func beyondRetention(keep: Int, limit: (Int64) throws -> Int) rethrows -> [Bool] {
        var positions: [Int64: [Int]] = [:]
        for (group, count) in perGroup where count > keep { positions[group] = [] }
        var beyond = [Bool](repeating: false, count: rows.count)
        guard !positions.isEmpty else { return beyond }
        for position in rows.indices {
            let group = rows[position].groupID!
            if positions[group] != nil { positions[group]!.append(position) }
        }
        for (group, groupPositions) in positions {
            let kept = try limit(group)
            guard groupPositions.count > kept else { continue }
            let newestFirst = groupPositions.sorted {
                let (a, b) = (rows[$0].detectionTime, rows[$1].detectionTime)
                return a != b ? a > b : $0 > $1
            }
            for position in newestFirst[kept...] { beyond[position] = true }
        }
        return beyond
    }

    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        perGroup.removeAll(keepingCapacity: true)
        payloadBytes = 0
    }
}
