import Foundation
import TriageEngine

/// The tracker menu (`L`): the configured trackers with the group's link in each; `c` files a new
/// external issue, `l` links an existing one (its id typed inline), `x` unlinks.
public struct TrackerMenu: Sendable {
    public struct Entry: Sendable {
        public let tracker: String
        public let pluginTitle: String
        /// The link as its tracker writes it (`acme/backend#12`), if the group has one there.
        public let link: String?
    }

    public let group: Group
    public let entries: [Entry]
    public var cursor = 0
    /// The issue id being typed for `l`.
    public var typedID: LineEditor?

    public var selected: Entry { entries[cursor] }
}

extension TriageApp {
    func openTrackerMenu() throws {
        guard let trackers, !trackers.trackers.isEmpty else { return }
        guard let group = state.detail?.details.group ?? state.list.selectedGroup else { return }
        state.overlay = .trackerMenu(try trackerMenu(for: group, trackers))
    }

    private func trackerMenu(for group: Group, _ trackers: TrackerActions, cursor: Int = 0) throws -> TrackerMenu {
        let links = try store.links(of: group.id)
        let entries = trackers.trackers.map { tracker in
            TrackerMenu.Entry(tracker: tracker.name, pluginTitle: tracker.identity.title,
                              link: links.first { $0.tracker == tracker.name }.map(trackers.render))
        }
        return TrackerMenu(group: group, entries: entries, cursor: min(cursor, entries.count - 1))
    }

    /// Keys while the issue id for `l` is typed.
    func handleTrackerInput(_ menu: TrackerMenu, _ key: Key) throws {
        var menu = menu
        guard var typed = menu.typedID else { return }
        switch key {
        case .escape: menu.typedID = nil
        case .enter:
            let id = typed.text.trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { return }
            let (groupID, name) = (menu.group.id, menu.selected.tracker)
            menu.typedID = nil
            try runTracker(menu, "link") { try $0.link(groupID: groupID, tracker: name, externalID: id) }
            return
        default:
            _ = edit(&typed, key)
            menu.typedID = typed
        }
        state.overlay = .trackerMenu(menu)
    }

    /// A tracker menu command (its refusal, if any, was said already).
    func handleTrackerMenu(_ menu: TrackerMenu, _ command: CommandID) throws {
        var menu = menu
        let (id, name) = (menu.group.id, menu.selected.tracker)
        switch command {
        case .fileIssue:
            try runTracker(menu, "create") { try $0.create(groupID: id, tracker: name) }
            return
        case .linkIssue:
            menu.typedID = LineEditor(killBuffer: killBuffer)
        case .unlinkIssue:
            try runTracker(menu, "unlink") { try $0.unlink(groupID: id, tracker: name) }
            return
        case .down: menu.cursor = min(menu.entries.count - 1, menu.cursor + 1)
        case .up: menu.cursor = max(0, menu.cursor - 1)
        case .back, .quit, .trackers:
            state.overlay = .none
            return
        default: break
        }
        state.overlay = .trackerMenu(menu)
    }

    /// Hands the tracker call to the runner to perform off the UI thread (a tracker may take up to
    /// its timeout); keys keep being served meanwhile, and `finishTracker` reports the result in place.
    private func runTracker(_ menu: TrackerMenu, _ action: String, _ body: @escaping @Sendable (TrackerActions) throws -> GroupLink) throws {
        guard let trackers else { return }
        let group = menu.group
        let tracker = menu.selected.tracker
        let label = "\(action == "unlink" ? "unlinking from" : action == "create" ? "filing on" : "linking on") \(tracker)…"
        let call = TrackerCall(label: label, groupID: group.id) {
            do {
                let link = try body(trackers)
                let done = action == "unlink" ? "unlinked from" : "linked to"
                return Message(kind: .info, text: "\(group.shortID): \(done) \(trackers.render(link))")
            } catch let error as LinkError {
                return Message(kind: .error, text: error.description)
            } catch let error as StoreError {
                return Message(kind: .error, text: error.description)
            } catch {
                return Message(kind: .error, text: "\(tracker): \(error)")
            }
        }
        state.overlay = .trackerMenu(menu)
        dispatch(.callTracker(call))
    }

    /// A tracker call is done: its message, and the tracker menu and details brought up to date.
    func finishTracker(groupID: Int64, message: Message, job: Int) {
        trackerInFlight = nil
        state.running[job] = nil
        state.message = message
        do {
            if case let .trackerMenu(menu) = state.overlay, menu.group.id == groupID, let trackers {
                var fresh = try trackerMenu(for: menu.group, trackers, cursor: menu.cursor)
                fresh.typedID = nil
                state.overlay = .trackerMenu(fresh)
            }
            try refreshDetail()
        } catch {
            state.message = Message(kind: .error, text: "\(error)")
        }
    }
}
