import Foundation

/// Without libFuzzer, a fuzz target is a replayer: it runs each file named on the command line
/// (or every file in a named directory) through the target once, so the committed corpus and
/// crash reproducers run as ordinary regression checks.
public enum FuzzReplay {
    public static func run(_ target: ([UInt8]) -> Void) {
        var count = 0
        for argument in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("no such file: \(argument)\n".utf8))
                exit(2)
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted().map { "\(argument)/\($0)" }
                : [argument]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target(Array(data))
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }
}
