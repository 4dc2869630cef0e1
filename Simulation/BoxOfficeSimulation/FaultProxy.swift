import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 between one counter and head office's PostgreSQL, which the harness
/// cuts and heals: the network of one counter.
///
/// Besides a plain cut it can cut at the worst moment of a push: head office has committed the
/// batch and answered, and the answer is dropped before the counter reads a byte of it. It knows
/// that moment from the PostgreSQL wire protocol: after a client message naming `sync_api.push`,
/// the server's `ReadyForQuery` (`Z`, length 5) comes only once the transaction has committed.
public final class FaultProxy: Sendable {
    /// What the proxy does with the traffic.
    public enum Mode: Sendable, Equatable {
        /// Forwards everything.
        case open
        /// Closes every connection and refuses new ones (at once, as an unplugged cable eventually does).
        case cut
        /// Forwards until a push has committed, drops its answer, and is cut from then on.
        case cutAfterNextCommit
    }

    /// The port the counter connects to.
    public let port: Int
    private let target: Int
    private let listener: Int32
    private let state = Mutex(State())

    private struct State {
        var mode = Mode.open
        var connections: [Int32] = []
        var stopped = false
        /// How many push answers were dropped after their commit.
        var droppedAfterCommit = 0
    }

    /// Listens on a free port of 127.0.0.1 and forwards to `targetPort` there.
    public init(targetPort: Int) throws {
        target = targetPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SimulationError.setup("cannot make a socket for the proxy") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw SimulationError.setup("the proxy cannot listen on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// The current mode.
    public var mode: Mode { state.withLock { $0.mode } }

    /// How many push answers were dropped after head office committed them.
    public var droppedAfterCommit: Int { state.withLock { $0.droppedAfterCommit } }

    /// Sets the mode; cutting closes the open connections at once.
    public func set(_ mode: Mode) {
        let closing: [Int32] = state.withLock { state in
            state.mode = mode
            guard mode == .cut else { return [] }
            defer { state.connections = [] }
            return state.connections
        }
        closing.forEach { shutdown($0, Int32(SHUT_RDWR)) }
    }

    /// Stops listening and closes every connection.
    public func stop() {
        let closing: [Int32] = state.withLock { state in
            state.stopped = true
            defer { state.connections = [] }
            return state.connections
        }
        closing.forEach { shutdown($0, Int32(SHUT_RDWR)) }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let (stopped, mode) = state.withLock { ($0.stopped, $0.mode) }
            if stopped { close(client); return }
            if mode == .cut { close(client); continue }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: target)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { close(server); close(client); continue }
            state.withLock { $0.connections += [client, server] }
            let thread = Thread { [self] in pump(client: client, server: server) }
            thread.start()
        }
    }

    /// Forwards both ways until either side closes, watching for a committed push.
    private func pump(client: Int32, server: Int32) {
        defer {
            state.withLock { $0.connections.removeAll { $0 == client || $0 == server } }
            close(client)
            close(server)
        }
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: server, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var pushSent = false
        var pending: [UInt8] = []   // the server's bytes after a push, held back while a cut after commit is armed
        let marker = Array("sync_api.push".utf8)
        let ready: [UInt8] = [0x5A, 0, 0, 0, 5]   // ReadyForQuery: the transaction has ended
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let polled = poll(&fds, 2, 1_000)
            if polled < 0 { if errno == EINTR { continue } else { return } }
            if state.withLock({ $0.stopped }) { return }
            if polled == 0 { continue }
            for index in 0..<2 where fds[index].revents != 0 {
                let from = fds[index].fd
                let to = index == 0 ? server : client
                let count = read(from, &buffer, buffer.count)
                if count <= 0 { return }
                let bytes = Array(buffer[0..<count])
                if index == 0 {
                    if bytes.contains(subsequence: marker) { pushSent = true; pending = [] }
                    guard Self.write(bytes, to: to) else { return }
                    continue
                }
                if pushSent, state.withLock({ $0.mode == .cutAfterNextCommit }) {
                    pending += bytes
                    if pending.contains(subsequence: ready) {
                        // Committed and answered: the answer never reaches the counter.
                        state.withLock { $0.mode = .cut; $0.droppedAfterCommit += 1 }
                        set(.cut)
                        return
                    }
                    continue
                }
                if !pending.isEmpty { guard Self.write(pending, to: to) else { return }; pending = [] }
                if pushSent, bytes.contains(subsequence: ready) { pushSent = false }
                guard Self.write(bytes, to: to) else { return }
            }
        }
    }

    private static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a peer that went away (a killed agent) is an error here, not a SIGPIPE
            // that ends the whole harness.
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 { if errno == EINTR { continue } else { return false } }
            offset += written
        }
        return true
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes.
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard needle.count <= count, let first = needle.first else { return needle.isEmpty }
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, Array(self[index..<(index + needle.count)]) == needle { return true }
            index += 1
        }
        return false
    }
}
