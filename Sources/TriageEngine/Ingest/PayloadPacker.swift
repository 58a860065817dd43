/// Turns a claimed occurrence into the row the store keeps: its payload compressed with the store's
/// dictionary or, until the store has one, verbatim and kept as a sample to train it.
final class PayloadPacker {
    private let session: any IngestSession
    private var compressor: PayloadCompressor?
    private var samples: [[UInt8]] = []
    private var sampleBytes = 0
    private var trainingFailed = false
    /// Where rows prepared off this thread find the dictionary: published before the first is
    /// prepared (a row names the very dictionary object the packer holds), and again as soon as one
    /// is trained (if the transaction then rolls back, rows naming it are stored verbatim, see `row`).
    private let published: CurrentDictionary

    init(session: any IngestSession, publishingTo published: CurrentDictionary) throws {
        self.session = session
        self.published = published
        compressor = try session.newestDictionary().flatMap(PayloadCompressor.init)
        publish()
    }

    private func publish() {
        published.publish(compressor?.dictionary, awaiting: compressor == nil && !trainingFailed)
    }

    /// `prepared`: the row's bytes, if the decode queue made them (`RowPreparation`).
    func row(_ occurrence: Occurrence, _ prepared: PreparedRow?, groupID: Int64?, noise: (key: Int64, window: Int64)?,
             at now: Double) throws -> OccurrenceRow {
        let payload: [UInt8]
        let dictionaryID: Int64?
        if let compressor, let prepared {
            // A row prepared before the decode queue had this dictionary (or with one a rolled-back
            // pass trained) is stored verbatim: a row must name the dictionary that made it, and
            // compressing it here would put zstd on the writer's thread.
            if let compressed = prepared.compressed, compressed.dictionary === compressor.dictionary {
                payload = compressed.bytes
                dictionaryID = compressor.dictionaryID
            } else {
                payload = occurrence.raw
                dictionaryID = nil
            }
        } else if let compressor {
            payload = compressor.compress(occurrence.raw) { Array($0) }
            dictionaryID = compressor.dictionaryID
        } else {
            payload = occurrence.raw
            dictionaryID = nil
            try sample(occurrence.raw, at: now)
        }
        return OccurrenceRow(id: occurrence.idBytes, groupID: groupID, typeID: occurrence.typeID,
                             detectionTime: occurrence.detectionTime, eventID: occurrence.eventIDBytes,
                             noise: noise, payload: payload, dictionaryID: dictionaryID,
                             user: occurrence.user)
    }

    /// Keeps a verbatim payload as a training sample; with enough of them, trains the dictionary
    /// that the payloads after it are compressed with.
    private func sample(_ payload: [UInt8], at now: Double) throws {
        guard !trainingFailed else { return }
        samples.append(payload)
        sampleBytes += payload.count
        guard samples.count >= PayloadCompression.trainingSamples || sampleBytes >= PayloadCompression.trainingBytes else { return }
        compressor = try PayloadCompression.train(samples)
            .flatMap { try session.storeDictionary($0, at: now) }
            .flatMap(PayloadCompressor.init)
        trainingFailed = compressor == nil
        samples = []
        publish()
    }
}
