import ArgumentParser
import TriageEngine

struct TypesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "types",
        abstract: "List the registered group types (built-in and from the config file)."
    )

    @OptionGroup var locations: Locations

    @Flag(help: "Print every attribute as JSON.")
    var json = false

    func run() throws {
        let registry = try locations.loadConfig().registry
        if json {
            var writer = JSONWriter()
            writer.beginArray()
            for type in registry.types {
                writer.beginObject()
                writer.field("type_id", type.id)
                writer.field("slug", type.slug)
                writer.field("description", type.description)
                writer.field("category", type.categoryID)
                writer.field("category_name", registry.category(id: type.categoryID)?.name)
                writer.field("released", type.released)
                writer.key("noise_config")
                if let noise = type.noiseConfig {
                    writer.beginObject()
                    writer.field("ignore_limit", noise.ignoreLimit)
                    writer.field("expiry_time", noise.expiryTime)
                    writer.endObject()
                } else {
                    writer.value(nil as String?)
                }
                writer.field("enable_auto_resolve", type.enableAutoResolve)
                writer.field("enable_escalation_detection", type.enableEscalationDetection)
                writer.field("default_priority", type.defaultPriority)
                writer.field("in_default_search", type.inDefaultSearch)
                writer.endObject()
            }
            writer.endArray()
            print(writer.text)
            return
        }
        print("  ID  SLUG                                     CATEGORY      NOISE        AR  ESC  PRIO")
        for type in registry.types {
            let noise = type.noiseConfig.map { "\($0.ignoreLimit) / \(Int($0.expiryTime / 3600))h" } ?? "–"
            print([
                String(repeating: " ", count: max(0, 4 - String(type.id).count)) + String(type.id),
                TerminalText.pad(type.slug + (type.released ? "" : " (unreleased)"), columns: 40),
                TerminalText.pad(registry.category(id: type.categoryID)?.name ?? "?", columns: 13),
                TerminalText.pad(noise, columns: 12),
                type.enableAutoResolve ? "yes" : "no ",
                type.enableEscalationDetection ? "yes " : "no  ",
                String(type.defaultPriority) + (type.inDefaultSearch ? "" : "  (hidden from default search)"),
            ].joined(separator: " "))
        }
    }
}
