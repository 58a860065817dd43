import Foundation

/// Drops `text` into `spool` as `name` the way producers must: written under a dot-name the ingester
/// skips, then renamed in, so it is never read half-written.
public func dropIntoSpool(_ text: String, as name: String, into spool: String) throws {
    try text.write(toFile: spool + "/." + name, atomically: false, encoding: .utf8)
    try FileManager.default.moveItem(atPath: spool + "/." + name, toPath: spool + "/" + name)
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
public func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return try condition()
}
