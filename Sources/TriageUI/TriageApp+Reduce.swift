import TriageEngine

/// What the user asked for that changes something outside the screen, as values.
///
/// The UI's flow runs one way: a key becomes a command through the `Keymap` (per scope, from the
/// `CommandCatalog`); the command's handler turns it into an `Action`; `reduce` changes the state at
/// once (a write's target state is shown before the store has it) and returns the `Effect`s the
/// runner performs off the UI thread; each job's result comes back as `Action.finished` and is
/// reduced in turn (reported, reconciled with the store, or restored on failure). Views only read
/// the state, so a slow store or tracker never holds up a key or a frame.
public enum Action: Sendable {
    /// Change these groups' status (marks the filter hides were confirmed already).
    case setStatus(StatusAction, [Group])
    case setPriority(Int?, name: String, [Group])
    /// Assign these groups to a name, or to nobody (nil).
    case assign(String?, [Group])
    case addNote(String, [Group])
    /// Take back the newest status change.
    case undo
    /// File, link or unlink through an issue tracker.
    case callTracker(TrackerCall)
    /// The runner finished job `jobID`.
    case finished(jobID: Int, JobResult)
}

/// A tracker call about one group: what the header says meanwhile, and the call itself.
public struct TrackerCall: Sendable {
    let label: String
    let groupID: Int64
    let work: @Sendable () -> Message
}

extension TriageApp {
    /// Reduces an action and queues its effects for the runner (`takeEffects`); a failure is shown
    /// on the status line, never thrown at the run loop.
    public func dispatch(_ action: Action) {
        do {
            state.effects += try reduce(action)
        } catch {
            state.message = Message(kind: .error, text: "\(error)")
        }
    }

    /// True while a store write is queued or under way (the runner lets them land before it exits).
    public var hasPendingWrites: Bool { writeInFlight != nil || !writeQueue.isEmpty }

    func reduce(_ action: Action) throws -> [Effect] {
        switch action {
        case let .setStatus(change, targets): return request(.status(change, targets))
        case let .setPriority(level, name, targets): return request(.priority(level, name: name, targets))
        case let .assign(assignee, targets): return request(.assign(assignee, targets))
        case let .addNote(text, targets): return request(.note(text, targets))
        case .undo: return request(.undo)
        case let .callTracker(call): return startTracker(call)
        case let .finished(id, result):
            if let inFlight = writeInFlight, inFlight.id == id { return finishWrite(inFlight.write, result, job: id) }
            if let inFlight = trackerInFlight, inFlight.id == id, case let .tracker(message) = result {
                finishTracker(groupID: inFlight.groupID, message: message, job: id)
            }
            return []
        }
    }

    // MARK: Store writes: one at a time, in the order asked.

    private func request(_ write: StoreWrite) -> [Effect] {
        writesRequested += 1
        writeQueue.append(write)
        showPendingStates()
        return startNextWrite()
    }

    private func startNextWrite() -> [Effect] {
        guard writeInFlight == nil, !writeQueue.isEmpty else { return [] }
        var write = writeQueue.removeFirst()
        if case .undo = write {
            // Decided now, not when `u` was pressed: the writes before it have landed on the stack.
            guard let change = undoStack.popLast() else {
                state.message = Message(kind: .info, text: "nothing to undo")
                return startNextWrite()
            }
            write = .revert(change)
        }
        let job = BackgroundJob(id: nextJob, lane: .store, label: write.label, work: work(for: write))
        nextJob += 1
        writeInFlight = (job.id, write)
        state.running[job.id] = job.label
        return [.perform(job)]
    }

    private func work(for write: StoreWrite) -> @Sendable () -> JobResult {
        let store = writer
        let actor = me
        switch write {
        case let .status(action, targets):
            let ids = targets.map(\.id)
            return {
                do { return .applied(try store.apply(action, to: ids, actor: actor)) } catch { return .failure(error) }
            }
        case let .priority(level, _, targets):
            let ids = targets.map(\.id)
            return {
                do {
                    try store.setPriority(level, of: ids, actor: actor)
                    return .prioritySet
                } catch { return .failure(error) }
            }
        case let .revert(.assignment(changes)):
            let me = self.me
            return {
                do {
                    var reverted: [AssignmentChange] = []
                    var changedSince: [Int64] = []
                    for change in changes {
                        // Someone (or this UI) assigned it again since: left alone, as a status undo leaves it.
                        guard try store.group(String(change.groupID)).assignee == change.to else {
                            changedSince.append(change.groupID)
                            continue
                        }
                        reverted += try store.assign([change.groupID], to: change.from, actor: me)
                    }
                    return .unassigned(reverted, changedSince: changedSince)
                } catch { return .failure(error) }
            }
        case let .revert(.status(change)):
            return {
                do {
                    let outcome = try store.revert(change, actor: actor)
                    return .reverted(outcome.reverted, changedSince: outcome.changedSince)
                } catch { return .failure(error) }
            }
        case let .assign(assignee, targets):
            let ids = targets.map(\.id)
            let me = self.me
            return {
                do { return .assigned(try store.assign(ids, to: assignee, actor: me)) } catch { return .failure(error) }
            }
        case let .note(text, targets):
            let me = self.me
            return {
                do {
                    for group in targets { _ = try store.addNote(text, to: group.id, author: me) }
                    return .noted
                } catch { return .failure(error) }
            }
        case .undo:
            return { .failed("nothing to undo") }
        }
    }

    /// The target state of every write queued or under way, over what the store last said.
    func showPendingStates() {
        var shown: [Int64: GroupState] = [:]
        for write in [writeInFlight?.write].compactMap({ $0 }) + writeQueue {
            guard case let .status(action, targets) = write else { continue }
            for group in targets {
                if case let .success(target?) = action.target(from: shown[group.id] ?? group.state, type: store.registry.type(id: group.typeID)) {
                    shown[group.id] = target
                }
            }
        }
        state.pendingStates = shown
        if let id = state.detail?.details.group.id { state.detail?.pendingState = shown[id] }
    }

    /// Reports a write's result, reads the store again (which reconciles the instant update, or
    /// restores what a failed write showed) and starts the next write.
    private func finishWrite(_ write: StoreWrite, _ result: JobResult, job: Int) -> [Effect] {
        writeInFlight = nil
        state.running[job] = nil
        var effects: [Effect] = []
        do {
            switch (write, result) {
            case let (.status(action, targets), .applied(results)):
                reportStatusChange(results, of: action, on: targets)
            case let (.priority(_, name, targets), .prioritySet):
                state.message = Message(kind: .info, text: targets.count == 1 ? "\(targets[0].shortID): priority \(name)" : "priority \(name): \(targets.count) groups")
                state.list.marked.subtract(targets.map(\.id))
            case let (.revert, .reverted(reverted, changedSince)):
                try reportUndo(reverted, changedSince: changedSince)
            case let (.revert, .unassigned(reverted, changedSince)):
                if reverted.contains(where: \.changed) { effects.append(.deliverNotifications) }
                try reportAssignmentUndo(reverted, changedSince: changedSince)
            case let (.assign(assignee, targets), .assigned(changes)):
                // The assignment recorded an `assigned` notification: deliver it now, not with the next ingest.
                if changes.contains(where: \.changed) { effects.append(.deliverNotifications) }
                reportAssignment(changes, to: assignee, on: targets)
            case let (.note(_, targets), .noted):
                let named = targets.prefix(5).map(\.shortID).joined(separator: ", ") + (targets.count > 5 ? " and \(targets.count - 5) more" : "")
                state.message = Message(kind: .info, text: targets.count == 1 ? "\(named): note added" : "note added to \(targets.count) groups: \(named)")
            case let (_, .failed(reason)):
                // The store refused: nothing changed, the marks stay, and a failed undo stays undoable.
                if case let .revert(change) = write { undoStack.append(change) }
                state.message = Message(kind: .error, text: "\(write.label.dropLast()) failed: \(reason)")
            default:
                break
            }
        } catch {
            state.message = Message(kind: .error, text: "\(error)")
        }
        showPendingStates()
        effects += startNextWrite()
        do {
            try reload()
            try refreshDetail()
        } catch {
            state.message = Message(kind: .error, text: "\(error)")
        }
        return effects
    }

    private func reportStatusChange(_ results: [TransitionResult], of action: StatusAction, on targets: [Group]) {
        activity?.statusChanged(results, groups: targets, by: action)
        let changed = results.filter { $0.to != nil }
        let skipped = results.filter { $0.to == nil }
        guard !results.isEmpty else { return }
        var text: String
        let verb = ActionWording.text(action, now: clock.now())
        if changed.isEmpty {
            // Named as the bulk action names what it skips: "P1-3 is already resolved".
            text = (results.count > 1 ? "nothing to \(verb): " : "") + skippedText(skipped, targets)
        } else if changed.count == 1, let target = changed[0].to {
            // A timed or counted ignore says which ("ignored for 2h — until 16:05 UTC"), not its substatus.
            let outcome = if case .ignore(.untilCondition) = action, verb.hasPrefix("ignore ") { "ignored " + verb.dropFirst(7) } else { "\(target)" }
            text = "\(targets.first { $0.id == changed[0].groupID }?.shortID ?? String(changed[0].groupID)): \(changed[0].from) → \(outcome)"
        } else {
            text = "\(verb): \(changed.count) groups"
        }
        if !changed.isEmpty, !skipped.isEmpty { text += "; \(skipped.count) skipped: " + skippedText(skipped, targets) }
        state.message = Message(kind: .info, text: text)
        state.list.marked.subtract(targets.map(\.id))
        if !changed.isEmpty { undoStack.append(.status(changed)) }
    }

    /// "P1-2 is already unresolved, P1-7 is already unresolved" (the first few, then a count), in the
    /// targets' order, which is the list's.
    private func skippedText(_ skipped: [TransitionResult], _ targets: [Group]) -> String {
        let position = Dictionary(targets.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = skipped.sorted { position[$0.groupID, default: .max] < position[$1.groupID, default: .max] }
        let named = ordered.prefix(3).map { result in
            "\(targets.first { $0.id == result.groupID }?.shortID ?? String(result.groupID)) is already \(result.from)"
        }
        return named.joined(separator: ", ") + (skipped.count > 3 ? " and \(skipped.count - 3) more" : "")
    }

    // MARK: Tracker calls: one at a time, beside the store's writes.

    private func startTracker(_ call: TrackerCall) -> [Effect] {
        if let inFlight = trackerInFlight {
            state.message = Message(kind: .info, text: "still \(state.running[inFlight.id] ?? "calling the tracker…"); one tracker call at a time")
            return []
        }
        let work = call.work
        let job = BackgroundJob(id: nextJob, lane: .tracker, label: call.label) { .tracker(work()) }
        nextJob += 1
        trackerInFlight = (job.id, call.groupID)
        state.running[job.id] = job.label
        return [.perform(job)]
    }
}
