import TriageEngine

/// The line `a` (assign) or `c` (note) opens on the status line, for the groups it will act on.
public struct TeamPrompt: Sendable {
    public enum Kind: Sendable {
        /// To whom: a name, `me` or `none`; `Tab` completes from `names`.
        case assign([Group], names: [String])
        /// One note, added to each group (the marked ones, as `a` assigns them).
        case note([Group])
    }

    public let kind: Kind
    public var line: LineEditor
    /// Why Enter was refused (an empty note, a name with a space), shown after the line.
    public var error: String?
    /// The candidates `Tab` found, while `Tab` steps through them.
    public var completion: Completion?

    /// "assign P1-3 to: ", "assign 3 groups to: ", "note on P1-3: ", "note on 3 groups: ".
    public var prompt: String {
        switch kind {
        case let .assign(targets, _): return "assign \(Self.naming(targets)) to: "
        case let .note(targets): return "note on \(Self.naming(targets)): "
        }
    }

    private static func naming(_ targets: [Group]) -> String {
        targets.count == 1 ? targets[0].shortID : "\(targets.count) groups"
    }

    /// The names `Tab` offers for what is typed: `me`, `none`, then the names in use, by prefix.
    func candidates(for typed: String) -> [String] {
        guard case let .assign(_, names) = kind else { return [] }
        let lowered = typed.lowercased()
        return (["me", "none"] + names.filter { $0 != "me" && $0 != "none" }).filter { $0.lowercased().hasPrefix(lowered) }
    }
}

/// Draws the prompt on the status line, the `Tab` candidates on the row above it.
enum TeamPromptView {
    static func render(_ prompt: TeamPrompt, y: Int, into grid: inout Grid) {
        LineEditorView.render(prompt: " " + prompt.prompt, prompt.line, note: prompt.error.map { "  ✗ \($0)" }, x: 0, y: y,
                              width: grid.width, role: .statusLine, into: &grid)
        if let completion = prompt.completion, y > 1 { StatusLine.renderCandidates(completion, y: y - 1, into: &grid) }
    }
}
