import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real HTTP client on 127.0.0.1 with a cookie jar, as a browser or the old Postman collection
/// used the API: every `Set-Cookie` is kept (and a `Max-Age=0` one removes its cookie), and every
/// request sends the cookies the jar holds.
final class HTTPTestClient: @unchecked Sendable {
    // @unchecked: `lock` guards `jar` and `lastSetCookie`, the only mutable state.
    let base: URL
    private let session: URLSession
    private let lock = NSLock()
    private var jar: [String: String] = [:]
    private var lastSetCookie: String?
    private var headers: [String: String] = [:]

    /// Headers sent with every request (a proxy's `X-Forwarded-Proto`).
    var extraHeaders: [String: String] {
        get { lock.withLock { headers } }
        set { lock.withLock { headers = newValue } }
    }

    init(port: Int) {
        base = URL(string: "http://127.0.0.1:\(port)")!
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpCookieStorage = nil
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
    }

    /// One answer: status, headers and the JSON body.
    struct Answer: Sendable, CustomStringConvertible {
        var status: Int
        var headers: [String: String]
        var body: Data

        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
        var message: String { json["message"] as? String ?? "" }
        var ok: Bool? { json["status"] as? Bool }
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
        var items: [[String: Any]] { json["data"] as? [[String: Any]] ?? [] }
        var fieldErrors: [String] { (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
        var description: String { "\(status) \(String(decoding: body, as: UTF8.self))" }
    }

    /// The cookie the jar holds under `name`.
    func cookie(_ name: String) -> String? { lock.withLock { jar[name] } }

    /// Puts a cookie in the jar by hand (a forged or stale one).
    func setCookie(_ name: String, _ value: String?) { lock.withLock { jar[name] = value } }

    /// The last `Set-Cookie` header received, attributes and all.
    var lastSetCookieHeader: String? { lock.withLock { lastSetCookie } }

    func get(_ path: String) async throws -> Answer { try await send("GET", path, body: nil) }

    func post(_ path: String, _ object: Any) async throws -> Answer {
        try await send("POST", path, body: try JSONSerialization.data(withJSONObject: object))
    }

    func post(_ path: String, raw: String) async throws -> Answer { try await send("POST", path, body: Data(raw.utf8)) }

    func send(_ method: String, _ path: String, body: Data?) async throws -> Answer {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in extraHeaders { request.setValue(value, forHTTPHeaderField: name) }
        let cookies = lock.withLock { jar.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        if !cookies.isEmpty { request.setValue(cookies, forHTTPHeaderField: "Cookie") }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        if let setCookie = headers["set-cookie"] { keep(setCookie) }
        return Answer(status: http.statusCode, headers: headers, body: data)
    }

    private func keep(_ header: String) {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { return }
        let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
        let removed = parts.contains { $0.lowercased() == "max-age=0" } || value.isEmpty
        lock.withLock {
            lastSetCookie = header
            jar[name] = removed ? nil : value
        }
    }
}
