import Foundation

/// A loopback TCP listener that speaks just enough of the PostgreSQL protocol to test how the client takes a server's
/// misbehaviour: for each connection it reads the startup packet and sends back the bytes of `reply` (nothing at
/// all for a server that never answers), then closes or keeps the connection.
final class ScriptedPostgresServer: Sendable {
    let port: Int
    private let listener: Int32

    /// - Parameters:
    ///   - reply: what to send after the startup packet; nil sends nothing and never reads.
    ///   - keepsConnections: keep each connection open (a server that hangs) instead of closing it after the reply.
    init(reply: [UInt8]?, keepsConnections: Bool = false) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 8) == 0 else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let (listener, reply, keepsConnections) = (fd, reply, keepsConnections)
        Thread { Self.serve(listener, reply: reply, keepsConnections: keepsConnections) }.start()
    }

    /// Stops listening: the serving thread's `accept` fails and it closes what it held.
    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func serve(_ listener: Int32, reply: [UInt8]?, keepsConnections: Bool) {
        var held: [Int32] = []
        defer { for c in held { close(c) } }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            guard let reply else { held.append(connection); continue }
            var length = [UInt8](repeating: 0, count: 4)
            guard recv(connection, &length, 4, Int32(MSG_WAITALL)) == 4 else { close(connection); continue }
            var rest = [UInt8](repeating: 0, count: max(0, Int(length.reduce(0) { $0 << 8 | UInt32($1) }) - 4))
            _ = recv(connection, &rest, rest.count, Int32(MSG_WAITALL))
            _ = send(connection, reply, reply.count, Int32(MSG_NOSIGNAL))
            if keepsConnections { held.append(connection) } else { close(connection) }
        }
    }

    /// AuthenticationOk, ReadyForQuery, then a FATAL ErrorResponse: a backend terminated right after its startup
    /// (`pg_terminate_backend`, a fast shutdown), which libpq takes as a notice.
    static let terminatedAfterStartup: [UInt8] = {
        func int32(_ v: Int) -> [UInt8] { withUnsafeBytes(of: Int32(v).bigEndian, Array.init) }
        let fields = Array("SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0".utf8)
        return [UInt8(ascii: "R")] + int32(8) + int32(0) + [UInt8(ascii: "Z")] + int32(5) + [UInt8(ascii: "I")]
            + [UInt8(ascii: "E")] + int32(4 + fields.count) + fields
    }()
}
