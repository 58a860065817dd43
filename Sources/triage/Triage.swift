import ArgumentParser
// Linked for its malloc, not called (Sources/CMimalloc/shim.h says why).
import CMimalloc
import Foundation
import Logging
import CursesDriver
import TriageEngine
import TriagePostgres

@main
struct Triage: ParsableCommand {
    /// This triage's version; `--version` prints it with the schemas it writes (SQLite's and the team store's are numbered apart).
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        abstract: "A terminal issue-stream browser: ingest occurrence files from a spool, group them into issues, triage them.",
        discussion: """
            Producers drop occurrence payloads (Sentry issue-platform format) into the spool directory as \
            NAME.json or NAME.jsonl files; `triage ingest` groups them into issues in the store.
            Exit codes: 0 ok, 1 runtime failure, 2 usage error, 3 some input rejected during ingest.
            """,
        version: "triage \(version) (store schema \(SQLiteStore.schemaVersion), team store schema v\(PostgresSchema.version))",
        subcommands: [
            TuiCommand.self, IngestCommand.self, ListCommand.self, ShowCommand.self, ResolveCommand.self, UnresolveCommand.self,
            IgnoreCommand.self, PriorityCommand.self, AssignCommand.self, NoteCommand.self, LinkCommand.self, UnlinkCommand.self, TrackersCommand.self, MetricsCommand.self,
            TypesCommand.self, StoreCommand.self, DemoCommand.self, GenCommand.self, BenchUICommand.self,
        ]
    )

    /// Maps failures onto the CLI contract's exit codes and prints one line for runtime errors.
    static func main() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["TRIAGE_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
            return handler
        }
        do {
            // Plain `triage` on a terminal opens the UI; elsewhere it prints help.
            let arguments = CommandLine.arguments.count == 1 && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 ? ["tui"] : nil
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let failure as TriageFailure {
            FileHandle.standardError.write(Data("triage: \(failure.message)\n".utf8))
            Foundation.exit(failure.code)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch let error as any RuntimeFailure {
            FileHandle.standardError.write(Data("triage: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch let error where StoreFailure.describe(error) != nil {
            FileHandle.standardError.write(Data("triage: \(StoreFailure.describe(error)!)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
                stream.write(Data((message + "\n").utf8))
            }
            // swift-argument-parser reports usage errors as 64 (EX_USAGE); the contract says 2.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Engine errors that end a command with exit code 1 and their one-sentence description.
protocol RuntimeFailure: Error, CustomStringConvertible {}
extension StoreError: RuntimeFailure {}
extension SpoolError: RuntimeFailure {}
extension ConfigError: RuntimeFailure {}
extension CursesTerminal.StartError: RuntimeFailure {}
extension PrivateDirectoryFailure: RuntimeFailure {}
extension PostgresFailure: RuntimeFailure {}

/// A failure with the exit code the contract gives it.
struct TriageFailure: Error {
    let message: String
    let code: Int32

    static func usage(_ message: String) -> TriageFailure { TriageFailure(message: message, code: 2) }
    static func runtime(_ message: String) -> TriageFailure { TriageFailure(message: message, code: 1) }
}
