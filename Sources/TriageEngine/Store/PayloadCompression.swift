import CZstd
import Foundation
import GRDB

/// Stored payloads are zstd frames made with a dictionary trained on the store's own first payloads.
/// One producer's occurrences share most keys and many values, so a dictionary does what per-row
/// compression alone cannot: on `triage gen` spools a 1 KB payload becomes ~150 bytes (0.14) at
/// ~550 MB/s, against 0.56 and 180 MB/s without one. Each row names its dictionary
/// (`payload_dictionary`); NULL means verbatim, as the payloads stored before training are.
enum PayloadCompression {
    /// Payloads gathered before a dictionary is trained, and the bytes that are enough.
    static let trainingSamples = 2_000
    static let trainingBytes = 4 << 20
    /// zstd's advice is ~100× the dictionary size in samples; 64 KiB suits 2,000 ~1 KB payloads.
    static let dictionaryCapacity = 64 << 10
    static let level: Int32 = 1

    /// A dictionary from `samples`, or nil when zstd finds too little in common to build one.
    ///
    /// fastCover with fixed parameters: `ZDICT_trainFromBuffer` searches for them, which took ~0.14 s
    /// of the writer's thread on 2,000 `triage gen` payloads; these take ~0.03 s and compress those
    /// payloads as well (0.129 of their size against 0.132).
    static func train(_ samples: [[UInt8]]) -> [UInt8]? {
        let joined = samples.flatMap { $0 }
        let sizes = samples.map(\.count)
        var dictionary = [UInt8](repeating: 0, count: dictionaryCapacity)
        var parameters = ZDICT_fastCover_params_t()
        parameters.k = 2000
        parameters.d = 8
        parameters.f = 20
        parameters.accel = 1
        parameters.zParams.compressionLevel = level
        let size = joined.withUnsafeBytes { source in
            dictionary.withUnsafeMutableBytes { target in
                ZDICT_trainFromBuffer_fastCover(target.baseAddress, target.count, source.baseAddress, sizes, UInt32(sizes.count), parameters)
            }
        }
        guard ZDICT_isError(size) == 0, size > 0 else { return nil }
        return Array(dictionary.prefix(size))
    }
}

/// A dictionary ready to compress with. zstd only reads it while compressing, so every thread shares one.
package final class PayloadDictionary: @unchecked Sendable {
    let id: Int64
    fileprivate let compressionDictionary: OpaquePointer

    init?(id: Int64, bytes: [UInt8]) {
        guard let made = bytes.withUnsafeBytes({ ZSTD_createCDict($0.baseAddress, $0.count, PayloadCompression.level) }) else { return nil }
        self.id = id
        compressionDictionary = made
    }

    deinit { ZSTD_freeCDict(compressionDictionary) }
}

/// Compresses payloads with one dictionary. Owns a zstd context, so one per thread.
final class PayloadCompressor {
    let dictionary: PayloadDictionary
    private let context: OpaquePointer
    private var output: [UInt8] = []

    var dictionaryID: Int64 { dictionary.id }

    init?(_ dictionary: PayloadDictionary) {
        guard let context = ZSTD_createCCtx() else { return nil }
        self.dictionary = dictionary
        self.context = context
    }

    deinit { ZSTD_freeCCtx(context) }

    /// The payload as one zstd frame; `body` sees bytes valid only during the call.
    func compress<T>(_ payload: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let bound = ZSTD_compressBound(payload.count)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        return try output.withUnsafeMutableBytes { target in
            let size = payload.withUnsafeBytes { source in
                ZSTD_compress_usingCDict(context, target.baseAddress, target.count, source.baseAddress, source.count,
                                         dictionary.compressionDictionary)
            }
            // Only a too-small buffer fails, and the buffer has zstd's bound.
            precondition(ZSTD_isError(size) == 0, "zstd: \(String(cString: ZSTD_getErrorName(size)))")
            return try body(UnsafeRawBufferPointer(rebasing: target.prefix(size)))
        }
    }
}

/// Decompresses stored payloads; keeps each dictionary once loaded (they never change) and one
/// decompression context, both guarded by a lock.
package final class PayloadDecompressor: @unchecked Sendable {
    private let lock = NSLock()
    private var dictionaries: [Int64: OpaquePointer] = [:]
    private var context: OpaquePointer?

    deinit {
        for dictionary in dictionaries.values { ZSTD_freeDDict(dictionary) }
        if let context { ZSTD_freeDCtx(context) }
    }

    /// The payload as received. `load` fetches a dictionary's bytes the first time it is needed.
    func decompress(_ stored: [UInt8], dictionaryID: Int64?, load: (Int64) throws -> [UInt8]?) throws -> [UInt8] {
        guard let dictionaryID else { return stored }
        lock.lock()
        defer { lock.unlock() }
        let dictionary = try self.dictionary(dictionaryID, load: load)
        let size = stored.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN, size <= UInt64(PayloadLimits.largestAllowedPayload) else {
            throw StoreError.damagedPayload("not a zstd frame with its size")
        }
        if context == nil { context = ZSTD_createDCtx() }
        guard let context else { throw StoreError.damagedPayload("zstd has no memory for a context") }
        var payload = [UInt8](repeating: 0, count: Int(size))
        let written = payload.withUnsafeMutableBytes { target in
            stored.withUnsafeBytes { source in
                ZSTD_decompress_usingDDict(context, target.baseAddress, target.count, source.baseAddress, source.count, dictionary)
            }
        }
        guard ZSTD_isError(written) == 0, written == Int(size) else {
            throw StoreError.damagedPayload(ZSTD_isError(written) != 0 ? String(cString: ZSTD_getErrorName(written)) : "short frame")
        }
        return payload
    }

    /// Called with the lock held.
    private func dictionary(_ id: Int64, load: (Int64) throws -> [UInt8]?) throws -> OpaquePointer {
        if let known = dictionaries[id] { return known }
        guard let bytes = try load(id) else { throw StoreError.damagedPayload("its dictionary \(id) is missing") }
        guard let made = bytes.withUnsafeBytes({ ZSTD_createDDict($0.baseAddress, $0.count) }) else {
            throw StoreError.damagedPayload("dictionary \(id) is not a zstd dictionary")
        }
        dictionaries[id] = made
        return made
    }
}

extension PayloadDecompressor {
    /// A stored payload column pair (`payload`, `payload_dictionary`) as received.
    package func payload(_ db: Database, stored: [UInt8], dictionaryID: Int64?) throws -> [UInt8] {
        try decompress(stored, dictionaryID: dictionaryID) { id in
            try Data.fetchOne(db, sql: "SELECT dictionary FROM payload_dictionaries WHERE id = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }
}

extension PayloadDictionary {
    /// The store's newest dictionary, if it has one.
    static func newest(_ db: Database) throws -> PayloadDictionary? {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, dictionary FROM payload_dictionaries ORDER BY id DESC LIMIT 1") else { return nil }
        return PayloadDictionary(id: row["id"], bytes: [UInt8](row["dictionary"] as Data))
    }

    /// Stores a trained dictionary (in the caller's transaction, so it commits with the first rows
    /// that use it).
    static func store(_ db: Database, bytes: [UInt8], at now: Double) throws -> PayloadDictionary? {
        try db.execute(sql: "INSERT INTO payload_dictionaries (dictionary, created_at) VALUES (?, ?)", arguments: [Data(bytes), now])
        return PayloadDictionary(id: db.lastInsertedRowID, bytes: bytes)
    }
}

extension PayloadCompressor {
    /// A compressor with the store's newest dictionary, if it has one.
    static func newest(_ db: Database) throws -> PayloadCompressor? {
        try PayloadDictionary.newest(db).flatMap(PayloadCompressor.init)
    }
}
