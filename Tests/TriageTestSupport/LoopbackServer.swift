import Foundation

/// A Python child on 127.0.0.1 that prints the port it listens on as its first line: a script that
/// defines an `http.server` `Handler` (served on a free port, the log file path as `sys.argv[1]`),
/// or any script given whole.
public final class LoopbackServer {
    private let process: Process
    public let port: String
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Serves `handler` with `HTTPServer`, or `ThreadingHTTPServer` when requests must overlap.
    public convenience init(handler: String, log: String, threading: Bool = false) throws {
        try self.init(script: handler + """

            server = http.server.\(threading ? "ThreadingHTTPServer" : "HTTPServer")(('127.0.0.1', 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """, arguments: [log])
    }

    /// Runs `script`, which must print its port first.
    public init(script: String, arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var port = ""
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { port.append(Character(UnicodeScalar(byte))) }
        self.process = process
        self.port = port
    }

    /// SIGKILL: the test runner's blocked signals are inherited, so SIGTERM may never arrive.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
