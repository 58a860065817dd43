import Foundation
import PackagePlugin

/// Compiles `themes/*.toml` into the target, so the files users read and copy are the very themes
/// the binary ships with, and the binary needs no resource bundle next to it.
@main
struct EmbedThemes: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let themes = context.package.directoryURL.appending(path: "themes")
        let files = try FileManager.default.contentsOfDirectory(at: themes, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let script = context.package.directoryURL.appending(path: "Plugins/EmbedThemes/embed-themes.sh")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedThemes.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) themes",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, output.path] + files.map(\.path),
                inputFiles: [script] + files,
                outputFiles: [output]
            ),
        ]
    }
}
