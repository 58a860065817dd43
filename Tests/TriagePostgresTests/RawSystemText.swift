import XCTest

/// What a user must never read in a message about the team store: the C library's and the
/// libraries' own words for a failure (errno names and numbers, type names), in place of a sentence.
enum RawSystemText {
    static let markers = ["errno", "ENOENT", "ECONNRESET", "ECONNREFUSED", "EPIPE", "Connection reset by peer", "No such file or directory",
                          "PSQLError", "NIOConnectionError", "IOError", "ChannelError", "connectionError", "SocketAddressError", "(descriptor:"]

    static func assertAbsent(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        for marker in markers where text.contains(marker) {
            XCTFail("a raw system text (\(marker)) reached the user: \(text)", file: file, line: line)
        }
    }
}
