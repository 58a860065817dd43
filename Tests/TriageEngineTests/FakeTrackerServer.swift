import Foundation
import TriageTestSupport

/// A real HTTP server on the loopback (Python's http.server) speaking the two shapes the HTTP
/// trackers talk to: GitHub's issues API under /repos/acme/backend (token "secret"; issue 7 exists;
/// new issues are numbered from 42) and a ticket webhook at /tickets (/broken answers 500). Every
/// request is logged as one JSON line: method, path, authorization header, body.
final class FakeTrackerServer {
    private let server: LoopbackServer
    private let log: String
    var url: String { server.url }

    init(directory: String) throws {
        log = directory + "/tracker-requests.jsonl"
        server = try LoopbackServer(handler: """
            import http.server, json, sys
            state = {'next': 42}
            class Handler(http.server.BaseHTTPRequestHandler):
                def answer(self, status, document):
                    body = json.dumps(document).encode()
                    self.send_response(status)
                    self.send_header('Content-Type', 'application/json')
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def record(self, body):
                    with open(sys.argv[1], 'a') as f:
                        f.write(json.dumps({'method': self.command, 'path': self.path,
                                            'auth': self.headers.get('Authorization'), 'body': body}) + '\\n')
                def do_GET(self):
                    self.record(None)
                    if self.path == '/repos/acme/backend/issues/7':
                        self.answer(200, {'number': 7, 'html_url': self.base() + '/acme/backend/issues/7', 'title': 'Existing bug'})
                    else:
                        self.answer(404, {'message': 'Not Found'})
                def do_POST(self):
                    body = json.loads(self.rfile.read(int(self.headers.get('Content-Length', 0))) or b'null')
                    self.record(body)
                    if self.path == '/repos/acme/backend/issues':
                        if self.headers.get('Authorization') != 'Bearer secret':
                            return self.answer(401, {'message': 'Bad credentials'})
                        number = state['next']; state['next'] += 1
                        self.answer(201, {'number': number, 'html_url': self.base() + '/acme/backend/issues/%d' % number, 'title': body['title']})
                    elif self.path == '/tickets':
                        ticket = body.get('external_id') or 'DESK-1'
                        self.answer(201, {'id': ticket, 'url': self.base() + '/t/' + ticket, 'title': body['group']['title']})
                    else:
                        self.answer(500, {'message': 'exploded'})
                def base(self):
                    return 'http://%s:%d' % self.server.server_address
                def log_message(self, *args):
                    pass
            """, log: log)
    }

    /// The requests so far, decoded.
    func requests() -> [[String: Any]] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func stop() { server.stop() }
}
