import Dispatch
import TriageEngine

extension TriageApp {
    /// What a keystroke in the query line may spend on the store. The frame must follow a key within
    /// 16 ms; most queries answer in a millisecond or two, but a needle of one or two letters has no
    /// trigram to look up and is scanned (~300 ms at a million groups). Past the budget the frame
    /// shows the line as typed and "searching…", and the search finishes while the user pauses.
    public static let defaultKeystrokeBudget = 0.010

    /// True while a query's results are still being looked for (`finishSearch` completes them).
    public var isSearching: Bool { state.list.searching }

    /// Reloads the list for a query that just changed, giving up after `keystrokeBudget` (a reload
    /// that completes clears `searching` itself).
    func reloadWithinKeystrokeBudget() throws {
        try withinKeystrokeBudget { try reload() }
    }

    /// Runs `read` (which ends in `reload`) for at most `keystrokeBudget`, or until `stopEarly` says
    /// so; cut short, the list is left searching, for `finishSearch` to complete.
    func withinKeystrokeBudget(or stopEarly: @escaping @Sendable () -> Bool = { false }, _ read: () throws -> Void) throws {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, keystrokeBudget) * 1e9)
        do {
            try ReadInterruption.run(stoppingWhen: { DispatchTime.now().uptimeNanoseconds >= deadline || stopEarly() }, read)
        } catch is ReadInterrupted {
            state.list.searching = true
        }
    }

    /// Finishes a search the keystroke budget cut short, until `shouldStop` says otherwise (the run
    /// loop stops it as soon as another key is waiting, so typing never queues behind a scan).
    /// Returns true once the results are in.
    @discardableResult
    public func finishSearch(stoppingWhen shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> Bool {
        guard state.list.searching else { return true }
        do {
            try ReadInterruption.run(stoppingWhen: shouldStop) { try reload() }
        } catch is ReadInterrupted {
            return false
        } catch {
            // A query that fails outright is not "still searching": show it and keep the old rows.
            state.list.searching = false
            throw error
        }
        return true
    }
}
