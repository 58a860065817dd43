import Foundation

/// The `triage` binary end-to-end tests run: `$TRIAGE_BIN` (scripts/test points it at the release
/// build), else the debug build `swift test` made in this package's `.build`.
public enum TriageBinary {
    public static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["TRIAGE_BIN"], !explicit.isEmpty { return explicit }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/triage").path
    }()
}
