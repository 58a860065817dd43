import ArgumentParser
import Foundation
import TriageEngine

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Link a group to an issue in an external tracker: file a new one (--create) or name an existing one (--id).",
        discussion: "Trackers are configured as [plugins.NAME] tables; `triage trackers` lists them."
    )

    @OptionGroup var locations: Locations

    @Argument(help: "The group's numeric id or short id.")
    var group: String

    @Option(help: "The configured tracker's name (NAME in [plugins.NAME]).")
    var tracker: String

    @Flag(help: "File a new external issue for the group.")
    var create = false

    @Option(help: "Link this existing external issue (its id in the tracker, e.g. 42 or OPS-7).")
    var id: String?

    @Flag(help: "Print the link as JSON.")
    var json = false

    func validate() throws {
        guard create != (id != nil) else { throw ValidationError("Give exactly one of --create and --id ID.") }
    }

    func run() throws {
        let context = try TrackerContext(locations)
        let found = try context.store.group(group)
        let link = try context.run {
            if let id { try context.actions.link(groupID: found.id, tracker: tracker, externalID: id) } else {
                try context.actions.create(groupID: found.id, tracker: tracker)
            }
        }
        if json {
            var out = JSONWriter()
            GroupJSON.write(link, into: &out, withGroup: true)
            print(out.text)
        } else {
            print("\(found.shortID): linked to \(TerminalText.sanitize(context.actions.render(link)))")
        }
    }
}

struct UnlinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlink",
        abstract: "Remove a group's link to an external tracker (the external issue itself is left as it is).",
        discussion: "Command and webhook trackers are told (action \"unlink\"); with --local, or for a ticket whose filing's outcome is unknown, only the link here goes."
    )

    @OptionGroup var locations: Locations

    @Argument(help: "The group's numeric id or short id.")
    var group: String

    @Option(help: "The configured tracker's name.")
    var tracker: String

    @Flag(help: "Remove the link here only, without telling the tracker (when it is down or gone).")
    var local = false

    func run() throws {
        let context = try TrackerContext(locations)
        let found = try context.store.group(group)
        // A tracker that is down (or gone from the config) cannot be told: say how to remove the link anyway.
        let link = try context.run(hint: local ? "" : "; to remove the link here without telling \(tracker), add --local") {
            try context.actions.unlink(groupID: found.id, tracker: tracker, local: local)
        }
        let untold = local && !link.isClaim ? "; \(tracker) was not told" : ""
        print("\(found.shortID): unlinked from \(TerminalText.sanitize(context.actions.render(link)))\(untold)")
    }
}

struct TrackersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trackers",
        abstract: "List the configured issue trackers and the plugins available."
    )

    @OptionGroup var locations: Locations

    @Flag(help: "Print as JSON.")
    var json = false

    func run() throws {
        let config = try locations.loadConfig()
        if json {
            var out = JSONWriter()
            out.beginObject()
            out.key("trackers")
            out.beginArray()
            for tracker in config.trackers {
                out.beginObject()
                out.field("name", tracker.name)
                out.field("plugin", tracker.identity.slug)
                out.endObject()
            }
            out.endArray()
            out.key("plugins")
            out.beginArray()
            for plugin in TrackerCatalog.plugins {
                out.beginObject()
                out.field("slug", plugin.identity.slug)
                out.field("title", plugin.identity.title)
                out.field("version", plugin.identity.version)
                out.field("author", plugin.identity.author)
                out.field("description", plugin.identity.description)
                out.key("capabilities")
                out.beginArray()
                for name in plugin.capabilities.names { out.value(name) }
                out.endArray()
                out.endObject()
            }
            out.endArray()
            out.endObject()
            print(out.text)
            return
        }
        print(config.trackers.isEmpty ? "No trackers configured: add a [plugins.NAME] table to the config." : "Configured trackers:")
        for tracker in config.trackers { print("  \(tracker.name)  (\(tracker.identity.title))") }
        print("\nPlugins:")
        for plugin in TrackerCatalog.plugins {
            let identity = plugin.identity
            print("  \(identity.slug.padding(toLength: 10, withPad: " ", startingAt: 0)) \(identity.title) \(identity.version) by \(identity.author): \(identity.description) [\(plugin.capabilities.names.joined(separator: ", "))]")
        }
    }
}

/// The config, store and tracker actions a link command needs; tracker failures become one-line errors.
private struct TrackerContext {
    let actions: TrackerActions
    let metrics: TriageMetrics
    let store: any IssueStore & MetricsStore

    init(_ locations: Locations) throws {
        let config = try locations.loadConfig()
        store = try locations.openIssueStore(config)
        metrics = TriageMetrics()
        actions = TrackerActions(store: store, trackers: config.trackers, activity: try locations.activity(config, metrics: metrics, store: store))
    }

    /// `hint` follows a tracker's refusal: what to do next.
    func run<T>(hint: String = "", _ body: () throws -> T) throws -> T {
        defer { try? metrics.persist(into: store) }
        do { return try body() } catch let error as LinkError {
            throw TriageFailure.runtime(error.description + hint)
        }
    }
}
