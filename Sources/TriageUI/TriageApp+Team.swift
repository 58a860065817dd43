import Foundation
import TriageEngine

/// `a` assigns the targets, `c` adds a note: each through a prompt on the status line.
extension TriageApp {
    /// Who `me` is, and who acts: `$TRIAGE_USER`, else the login name (as on the command line).
    var me: String { activity?.actor.name ?? "tui" }

    /// Names groups are or were assigned to, for completion; none if the store cannot say.
    var namesInUse: [String] { (try? store.assignees(limit: 200)) ?? [] }

    func openAssignPrompt() throws {
        let targets = actionTargets
        guard !targets.isEmpty else {
            state.message = Message(kind: .info, text: "no group selected")
            return
        }
        state.teamPrompt = TeamPrompt(kind: .assign(targets, names: namesInUse), line: LineEditor(killBuffer: killBuffer))
    }

    /// A note goes where `a` and `r` act: the group open in details, else the marked groups, else the
    /// one under the cursor (a handoff often covers several groups at once).
    func openNotePrompt() throws {
        let targets = actionTargets
        guard !targets.isEmpty else {
            state.message = Message(kind: .info, text: "no group selected")
            return
        }
        state.teamPrompt = TeamPrompt(kind: .note(targets), line: LineEditor(killBuffer: killBuffer))
    }

    func handleTeamPrompt(_ key: Key) throws {
        guard var prompt = state.teamPrompt else { return }
        let completion = prompt.completion
        prompt.completion = nil
        switch key {
        case .escape:
            // Esc cancels the prompt, candidate list and all, as on the query line.
            state.teamPrompt = nil
            return
        case .tab, .backTab:
            complete(&prompt, stepping: completion, backwards: key == .backTab)
        case .enter:
            if state.storeUnreachable {
                prompt.error = Requirement.unreachable + "; Enter again once it is (the text is kept)"
                state.teamPrompt = prompt
                return
            }
            do {
                switch prompt.kind {
                case let .assign(targets, _):
                    let assignee = try AssigneeName.target(prompt.line.text, me: me)
                    state.teamPrompt = nil
                    try assign(targets, to: assignee)
                case let .note(targets):
                    let text = try NoteText.validate(prompt.line.text)
                    state.teamPrompt = nil
                    dispatch(.addNote(text, targets))
                }
            } catch let error as TeamInputError {
                prompt.error = error.description
                state.teamPrompt = prompt
            }
            return
        default:
            if edit(&prompt.line, key) == .edited { prompt.error = nil }
        }
        state.teamPrompt = prompt
    }

    /// Assigns through the store (all or none) and says what changed; marks the filter hides are
    /// asked about first, as for status changes.
    func assign(_ targets: [Group], to assignee: String?, confirmed: Bool = false) throws {
        guard !targets.isEmpty else { throw CommandLineError("no group selected") }
        let who = AssignmentChange.name(assignee)
        if !confirmed, let question = try hiddenMarksQuestion(targets, verb: "assign to \(who)") {
            state.confirmation = Confirmation(question: question, action: .assign(assignee, targets))
            return
        }
        dispatch(.assign(assignee, targets))
    }

    /// `:note TEXT`: on the groups `c` would note.
    func addNote(_ text: String) throws {
        let targets = actionTargets
        guard !targets.isEmpty else { throw CommandLineError("no group selected") }
        dispatch(.addNote(text, targets))
    }

    /// Says what an assignment changed ("P1-3: nobody → alice"), naming groups that already had it.
    func reportAssignment(_ changes: [AssignmentChange], to assignee: String?, on targets: [Group]) {
        let who = AssignmentChange.name(assignee)
        let changed = changes.filter(\.changed)
        if changed.isEmpty {
            state.message = Message(kind: .info, text: targets.count == 1 ? "\(targets[0].shortID): already \(who)" : "all \(targets.count) already \(who)")
        } else if targets.count == 1 {
            state.message = Message(kind: .info, text: "\(targets[0].shortID): \(AssignmentChange.name(changed[0].from)) → \(who)")
        } else {
            let skipped = changes.count - changed.count
            state.message = Message(kind: .info, text: "assigned \(changed.count) groups to \(who)\(skipped > 0 ? "; \(skipped) already were" : "")")
        }
        state.list.marked.subtract(targets.map(\.id))
        if !changed.isEmpty { undoStack.append(.assignment(changed)) }
    }

    /// `Tab` in the assign prompt: the one name that fits in place; several are listed above the
    /// line and each further `Tab` steps to the next.
    private func complete(_ prompt: inout TeamPrompt, stepping previous: Completion?, backwards: Bool) {
        if var completion = previous, completion.steps {
            completion.step(backwards: backwards, in: &prompt.line)
            prompt.completion = completion
            return
        }
        let found = prompt.candidates(for: prompt.line.text)
        guard let first = found.first else {
            if case .assign = prompt.kind { prompt.completion = Completion(candidates: [], index: nil, range: 0..<0) }
            return
        }
        if found.count == 1 {
            prompt.line.replace(with: first)
            return
        }
        let common = found.dropFirst().reduce(first) { String($0.commonPrefix(with: $1)) }
        if common.count > prompt.line.text.count { prompt.line.replace(with: common) }
        prompt.completion = Completion(candidates: found, index: nil, range: 0..<prompt.line.characters.count)
    }
}
