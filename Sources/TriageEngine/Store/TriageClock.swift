import Foundation

/// The engine's source of "now", in Unix seconds. Injected so tests move time instead of sleeping.
public protocol TriageClock: Sendable {
    func now() -> Double
}

public struct SystemClock: TriageClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that stands still until told otherwise.
public final class ManualClock: TriageClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Double

    public init(_ start: Double) { current = start }

    public func now() -> Double { lock.withLock { current } }
    public func set(_ time: Double) { lock.withLock { current = time } }
    public func advance(by seconds: Double) { lock.withLock { current += seconds } }
}
