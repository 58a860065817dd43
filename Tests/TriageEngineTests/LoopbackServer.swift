import Foundation

/// A Python `http.server` script run as a child on 127.0.0.1: the script defines `Handler`; this
/// starts it on a free port, with the log file path as `sys.argv[1]`.
final class LoopbackServer {
    private let process = Process()
    let url: String

    init(handler: String, log: String) throws {
        let script = handler + """

            server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, log]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var port = ""
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { port.append(Character(UnicodeScalar(byte))) }
        url = "http://127.0.0.1:\(port)"
    }

    /// SIGKILL: the test runner's blocked signals are inherited, so SIGTERM may never arrive.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
