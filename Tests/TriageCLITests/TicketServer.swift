import Foundation
import TriageTestSupport

/// A ticket webhook on 127.0.0.1 (Python's http.server): `create` answers after `createDelay`
/// seconds with DESK-9, `link` names the ticket it was given, `unlink` answers 200. Each request's
/// action is appended to a log.
final class TicketServer {
    private let server: LoopbackServer
    let url: String
    let log: String

    init(directory: String, createDelay: Double) throws {
        log = directory + "/desk-requests.log"
        server = try LoopbackServer(handler: """
            import http.server, json, sys, time
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = json.loads(self.rfile.read(int(self.headers.get('Content-Length', 0))))
                    with open(sys.argv[1], 'a') as f:
                        f.write(body['action'] + '\\n')
                    if body['action'] == 'create':
                        time.sleep(\(createDelay))
                    answer = json.dumps({'id': body.get('external_id') or 'DESK-9'}).encode()
                    self.send_response(201)
                    self.send_header('Content-Length', str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                def log_message(self, *args):
                    pass
            """, log: log, threading: true)
        url = server.url + "/tickets"
    }

    var actions: [String] { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }

    func stop() { server.stop() }
}
