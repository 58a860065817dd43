import TOMLKit

/// The one place issue-tracker plugins are registered.
public enum TrackerCatalog {
    public static let plugins: [any IssueTrackerPlugin.Type] = [
        MarkdownDirectoryTracker.self,
        CommandTracker.self,
        WebhookTracker.self,
        GitHubIssuesTracker.self,
    ]

    public static func plugin(slug: String) -> (any IssueTrackerPlugin.Type)? {
        plugins.first { $0.identity.slug == slug }
    }

    /// `[plugins.NAME]`: `kind` names the plugin; without it NAME must be a plugin's slug.
    static func configure(name: String, table: TOMLTable, file: String) throws -> ConfiguredTracker {
        let settings = PluginSettings(name: name, table: table, file: file)
        let kind = try settings.string("kind") ?? name
        guard let pluginType = Self.plugin(slug: kind) else {
            let known = plugins.map { $0.identity.slug }.joined(separator: ", ")
            throw settings.error("kind", "'\(kind)' is not an issue-tracker plugin (known: \(known))")
        }
        let instance: any IssueTrackerPlugin
        do { instance = try pluginType.init(settings: settings) } catch let error as ConfigError {
            throw error
        } catch {
            throw settings.error("kind", "the \(kind) plugin could not start: \(error)")
        }
        try settings.rejectUnread(kind: kind)
        return ConfiguredTracker(name: name, plugin: instance)
    }
}

/// A tracker as configured: its name in the config and the plugin instance.
public struct ConfiguredTracker: Sendable {
    public let name: String
    public let plugin: any IssueTrackerPlugin

    public var identity: PluginIdentity { type(of: plugin).identity }
    public var capabilities: TrackerCapabilities { type(of: plugin).capabilities }

    public init(name: String, plugin: any IssueTrackerPlugin) {
        self.name = name
        self.plugin = plugin
    }
}
