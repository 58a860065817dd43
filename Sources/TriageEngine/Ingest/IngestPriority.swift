import CLinuxCalls

/// How the ingest's threads share the processor with the process that runs them.
///
/// `triage ingest` has the machine to itself and runs at the process's own priority. The TUI ingests
/// in its own process, and there the engineer's keys come first: a flood's writer and its helpers
/// run at a higher nice value, so on two cores the UI thread is not kept waiting behind them. They
/// still take every cycle the UI leaves idle, so the flood is not slower when nobody types
/// (`scripts/bench-ui-flood` measures both).
public struct IngestPriority: Sendable, Equatable {
    /// Added to the main thread's nice value for each thread that ingests; 0 leaves them as they are.
    public var niceIncrement: Int32

    public static let normal = IngestPriority(niceIncrement: 0)
    public static let belowInteractive = IngestPriority(niceIncrement: 10)

    public init(niceIncrement: Int32) { self.niceIncrement = max(0, niceIncrement) }

    /// Names the calling thread (as top -H, perf and /proc show it: 15 bytes of `label`) and lowers
    /// it to this priority, for good: call it at the start of a thread that only ingests.
    public func adopt(threadLabel label: String) {
        _ = triage_name_this_thread(label)
        if niceIncrement > 0 { _ = triage_renice_this_thread(niceIncrement) }
    }

    /// The calling thread's nice value (-100 if unreadable).
    static var currentThreadNiceness: Int32 { triage_this_thread_niceness() }
}
