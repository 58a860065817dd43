import DequeModule
import Dispatch
import Foundation

/// The serial queue each of the ingest's helpers works on (decode-ahead, the mover, failed outputs).
///
/// At normal priority, a Dispatch queue. Below it, a thread of its own at that priority: Dispatch
/// runs queues on threads it shares, and a shared thread made nicer stays so for whatever runs on it
/// next (an unprivileged thread cannot lower its nice value again).
final class SerialWorker: Sendable {
    private enum Backing {
        case queue(DispatchQueue)
        case thread(WorkerThread)
    }

    private let backing: Backing

    init(label: String, priority: IngestPriority) {
        backing = priority == .normal
            ? .queue(DispatchQueue(label: label))
            : .thread(WorkerThread(label: label, priority: priority))
    }

    deinit {
        if case let .thread(thread) = backing { thread.finish() }
    }

    func async(_ work: @escaping @Sendable () -> Void) {
        switch backing {
        case let .queue(queue): queue.async(execute: work)
        case let .thread(thread): thread.enqueue(work)
        }
    }

    /// Runs `work` after everything queued before it and waits for its result.
    func sync<T>(_ work: () -> T) -> T {
        switch backing {
        case let .queue(queue): queue.sync(execute: work)
        case let .thread(thread): thread.sync(work)
        }
    }
}

/// One thread running queued work in order, at its own nice value, until its owner finishes it.
private final class WorkerThread: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queued = Deque<@Sendable () -> Void>()
    private var finished = false

    init(label: String, priority: IngestPriority) {
        // The thread holds the worker until `finish()`, then drains what is queued and ends.
        let thread = Thread { [self] in
            priority.adopt(threadLabel: label)
            while let work = next() { work() }
        }
        thread.start()
    }

    func enqueue(_ work: @escaping @Sendable () -> Void) {
        condition.lock()
        queued.append(work)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once what is queued has run.
    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    func sync<T>(_ work: () -> T) -> T {
        withoutActuallyEscaping(work) { work in
            // The caller waits on `done` until the work has run; the box lets go of the closure
            // first, as it must before `withoutActuallyEscaping` returns (the thread's loop still
            // holds the queued block while it waits for the next).
            let call = UncheckedBox<(() -> T)?>(work)
            let result = UncheckedBox<T?>(nil)
            let done = DispatchSemaphore(value: 0)
            enqueue {
                result.value = call.value?()
                call.value = nil
                done.signal()
            }
            done.wait()
            return result.value!
        }
    }

    /// The next work, waiting for it; nil once finished with nothing left.
    private func next() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while queued.isEmpty, !finished { condition.wait() }
        return queued.popFirst()
    }
}

/// A value handed between two threads that a semaphore already orders.
private final class UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
