import ArgumentParser
import Foundation
import TriageEngine

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add a note to a group's history (handoffs, what was tried), signed with your name.",
        discussion: "The author is $TRIAGE_USER, else your login name. Quote the text; it may span lines."
    )

    @OptionGroup var locations: Locations

    @Argument(help: "The group's numeric id or short id (e.g. P1-3F).")
    var group: String

    @Argument(help: "The note.")
    var text: String

    func validate() throws {
        do { _ = try NoteText.validate(text) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let config = try locations.loadConfig()
        let store = try locations.openIssueStore(config)
        let target = try store.group(group)
        let author = try locations.activity(config, store: store).actor.name
        try store.addNote(text, to: target.id, author: author)
        print("\(target.shortID): note added by \(TerminalText.sanitize(author))")
    }
}
