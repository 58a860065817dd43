import TriageEngine

extension TriageApp {
    /// Keys while the `:` line is open.
    func handleCommandLine(_ key: Key) throws -> Outcome {
        guard var line = state.commandLine else { return .continueRunning }
        let previous = state.commandCandidates
        state.commandCandidates = nil
        state.commandLineError = nil
        switch key {
        case .tab, .backTab:
            if var completion = previous, completion.steps {
                completion.step(backwards: key == .backTab, in: &line)
                state.commandCandidates = completion
            } else {
                completeCommand(&line)
            }
            state.commandLine = line
        case .escape:
            state.commandLine = nil
        case .backspace where line.isEmpty:
            state.commandLine = nil
        case .enter:
            state.commandLine = nil
            do {
                return try run(commandLine: line.text)
            } catch let refusal as CommandLineError {
                // As the `/` line does: the text stays to be fixed, the reason beside it, and the keys
                // typed next edit it instead of landing on the list.
                state.commandLine = line
                state.commandLineError = refusal.description
                // Kept whole in `:messages`, and shown if the line is given up.
                state.message = Message(kind: .error, text: refusal.description)
            }
        default:
            _ = edit(&line, key)
            state.commandLine = line
        }
        return .continueRunning
    }

    /// `:resolve`, `:sort events`, `:theme light`, `:ignore 2h`, `:query is:ignored`… Every command of
    /// the catalog runs by its id (`:undo`, `:older_occurrence`); a few take an argument.
    func run(commandLine text: String) throws -> Outcome {
        do { return try runCommand(text) } catch let refusal as CommandLineError {
            // An argument that is none of the command's choices gets the nearest of them, by the rule
            // the query line and command names use; first, since a narrow line keeps the start.
            guard let guess = argumentGuess(text) else { throw refusal }
            throw CommandLineError("\(guess) (\(refusal.description))")
        }
    }

    /// "did you mean :sort events?" for the first argument word that is not one of its choices.
    private func argumentGuess(_ text: String) -> String? {
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.first?.lowercased(), !["jump", "assign", "query", "filter", "note"].contains(name) else { return nil }
        for (position, word) in words.dropFirst().enumerated() {
            let choices = argumentChoices(name, position: position)
            guard !choices.isEmpty, !choices.contains(where: { $0.lowercased() == word.lowercased() }) else { continue }
            let before = ([name] + words.dropFirst().prefix(position)).joined(separator: " ")
            return QuerySuggestion.didYouMean(word, among: choices, prefix: ":\(before) ")
        }
        return nil
    }

    private func runCommand(_ text: String) throws -> Outcome {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first?.lowercased() else { return .continueRunning }
        let argument = words.dropFirst().joined(separator: " ")
        state.message = nil
        // `:ignore 2h` and `:priority high` need what their commands need (a group, a writable store).
        if let id = CommandID(rawValue: name), refusal(id) != nil { return .continueRunning }
        switch name {
        case "q", "quit": return .quit
        case "sort":
            let parts = argument.split(separator: " ").map(String.init)
            let direction = parts.count == 2 ? parts[1] : "desc"
            guard parts.count == 1 || parts.count == 2, ["asc", "desc"].contains(direction),
                  let order = GroupSort(rawValue: parts[0].replacingOccurrences(of: "-", with: "_")) else {
                throw CommandLineError("sort by one of: \(GroupSort.allCases.map(\.rawValue).joined(separator: ", ")) (then asc or desc)")
            }
            try sort(by: order, ascending: direction == "asc")
        case "theme":
            guard !argument.isEmpty else { throw CommandLineError("themes: \(themes.names.joined(separator: ", "))") }
            guard themes.names.contains(argument) else {
                throw CommandLineError("unknown theme '\(argument)'; themes: \(themes.names.joined(separator: ", "))")
            }
            theme = try themes.theme(named: argument)
            state.effects.append(.theme(theme))
            state.message = Message(kind: .info, text: "theme \(argument)")
        case "query", "filter":
            try setQuery(argument)
        case "priority":
            guard let level = ManualPriority(name: argument) else { throw CommandLineError(":priority high | medium | low | auto") }
            try setPriority(level.value, named: argument, of: actionTargets)
        case "assign" where !argument.isEmpty, "note" where !argument.isEmpty:
            if state.storeUnreachable { throw CommandLineError(Requirement.unreachable) }
            if name == "assign" { try assign(actionTargets, to: try AssigneeName.target(argument, me: me)) } else { try addNote(try NoteText.validate(argument)) }
        case "ignore" where !argument.isEmpty:
            try apply(try ignoreAction(argument))
        case "jump":
            guard !argument.isEmpty else { throw CommandLineError(":jump P1-3F (or :P1-3F)") }
            return try jump(to: argument)
        case "columns":
            guard ["id", "-id"].contains(argument) else { throw CommandLineError(":columns id shows the short-id column, :columns -id hides it") }
            state.showShortIDs = argument == "id"
        case "mouse", "follow":
            guard ["on", "off"].contains(argument) else { throw CommandLineError(":\(name) on or :\(name) off") }
            let wanted = argument == "on"
            let current = name == "mouse" ? state.mouseEnabled : state.following
            if current != wanted { return try perform(name == "mouse" ? .mouse : .follow) }
        default:
            if let id = CommandID(rawValue: name.replacingOccurrences(of: "-", with: "_")), CommandCatalog.command(id).runsFromCommandLine {
                let command = CommandCatalog.command(id)
                // `:resolve P1-2` once resolved the row under the cursor, not P1-2.
                guard argument.isEmpty else {
                    throw CommandLineError(":\(name) takes no argument: it acts on the marked groups, else the one under the cursor"
                                           + (ShortID.parse(words[1]) != nil ? " (:\(words[1]) goes to \(words[1]) first)" : ""))
                }
                guard command.runsFromCommandLine(in: scope) else {
                    throw CommandLineError(":\(name) works \(command.scopes.contains(.list) ? "on the list" : "in a group's details")")
                }
                return try perform(id)
            }
            // As typed: the error names the group the way the user wrote it, not lowercased.
            if argument.isEmpty, ShortID.parse(name) != nil { return try jump(to: words[0]) }
            // The query line's rule for a mistyped key or value, over the commands that run here.
            if let guess = QuerySuggestion.didYouMean(name, among: commandNames, prefix: ":") {
                throw CommandLineError("unknown command :\(words[0]); \(guess)")
            }
            throw CommandLineError("unknown command :\(words[0]) (try :resolve, :ignore 2h, :sort events, :theme NAME, :query TEXT, :P1-3F, or any command id ? lists)")
        }
        return .continueRunning
    }

    /// `:P1-3F` (or `:42`): selects that group. Under the current filter the cursor goes to it;
    /// outside it, the list shows that group alone (`id:P1-3F`), since a jump must land.
    func jump(to reference: String) throws -> Outcome {
        let group: Group
        do { group = try store.group(reference) } catch let error as StoreError {
            throw CommandLineError(error.description)
        }
        // From details, to the group's details: the list is where `q` then goes back to.
        let fromDetails = state.detail != nil
        state.detail = nil
        if let index = try position(of: group.id) {
            try move(to: index)
            state.message = Message(kind: .info, text: "\(group.shortID): \(TerminalText.sanitize(group.title))")
        } else {
            let why = try whyHidden(group)
            try setQuery("id:\(group.shortID)")
            state.message = Message(kind: .info, text: "\(group.shortID) \(why): shown alone; \(keyNames(.back)) goes back to \(defaultQuery.source)")
        }
        if fromDetails { try openDetails(of: group.id) }
        return .continueRunning
    }

    /// Why the list's query leaves `group` out, in words: its type is one the list shows only when the
    /// query names it (feedback), or it does not match the query ("is resolved, not is:unresolved").
    private func whyHidden(_ group: Group) throws -> String {
        let query = state.list.query
        if let type = store.registry.type(id: group.typeID), !type.inDefaultSearch,
           let named = try? parser.parse("\(query.source) type:\(type.slug)"),
           try store.position(of: group.id, matching: named, sort: state.list.sort) != nil {
            return "is \(type.slug), a type the list shows only when the query names it (type:\(type.slug))"
        }
        return "is \(group.state), which \(query.source) leaves out"
    }

    /// `forever`, `escalating`, a duration (`2h`), `until 14:05`, `N events` / `N/1h events`, `N users`.
    private func ignoreAction(_ argument: String) throws -> StatusAction {
        let words = argument.split(separator: " ").map(String.init)
        let now = clock.now()
        let usage = ":ignore forever | escalating | 2h | until 14:05 | 100 events | 100/1h events | 5 users"
        // Each form's parameter is refused with its own reason (past, zero, not a count), as the panel's prompts are.
        func parameter(_ choice: StatusPanel.Choice, _ text: String) throws -> StatusAction {
            if let action = choice.action(parameter: text, now: now) { return action }
            throw CommandLineError("\(choice.problem(parameter: text, now: now)) — \(usage)")
        }
        switch (words.first ?? "", words.count > 1 ? words[1] : nil) {
        case ("forever", nil): return .ignore(.forever)
        case ("escalating", nil): return .ignore(.untilEscalating)
        case let (count, "events"?): return try parameter(.ignoreUntilEvents, count)
        case let (count, "users"?): return try parameter(.ignoreUntilUsers, count)
        case ("until", _?): return try parameter(.ignoreUntilTime, words.dropFirst().joined(separator: " "))
        case let (duration, nil) where duration.first?.isNumber == true: return try parameter(.ignoreForDuration, duration)
        default: break
        }
        throw CommandLineError(usage)
    }
}

/// A `:` line that does not parse; shown beside the line, which stays open.
struct CommandLineError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
