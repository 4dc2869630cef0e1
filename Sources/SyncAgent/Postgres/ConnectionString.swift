import BoxOfficeKit
import CLibpq
import Foundation

/// A libpq connection string — a `postgresql://` URI or `key=value` pairs — as libpq itself reads
/// it, to tell whether it carries a password and to set the password apart.
///
/// ```swift
/// let url = try ConnectionString("postgresql://node_braga:s3cret@hq.example:5432/boxoffice")
/// url.password          // "s3cret"
/// url.withoutPassword   // "postgresql://node_braga@hq.example:5432/boxoffice"
/// url.redacted          // "postgresql://node_braga:****@hq.example:5432/boxoffice"
/// ```
public struct ConnectionString: Sendable, Hashable {
    /// The text as given.
    public let text: String
    /// The settings the text makes, by libpq keyword (`host`, `port`, `dbname`, `user`,
    /// `password`, `sslmode`, …); libpq's defaults are not filled in.
    public let options: [String: String]

    /// Reads `text` with libpq's own parser (`PQconninfoParse`).
    ///
    /// - Throws: ``InputError`` naming `url` when libpq cannot read it (the message never repeats
    ///   the text, which may hold a password).
    public init(_ text: String) throws(InputError) {
        self.text = text
        var failure: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(text, &failure) else {
            var reason = failure.map { String(cString: $0) } ?? "libpq cannot read it"
            if let failure { PQfreemem(failure) }
            reason = Self.scrubbed(reason)
            throw InputError(field: "url", reason: "not a PostgreSQL URL or connection string: " + reason)
        }
        defer { PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { options[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        self.options = options
    }

    /// The password the text sets, if any (libpq ignores an empty one).
    public var password: String? {
        guard let password = options["password"], !password.isEmpty else { return nil }
        return password
    }

    /// Whether the text sets a password.
    public var hasPassword: Bool { password != nil }

    /// The same connection without its password: the text with only the password taken out when it
    /// is a URI, else every setting but the password as `key='value'` pairs.
    public var withoutPassword: String {
        if options["password"] == nil { return text }
        if let stripped = Self.removingPassword(fromURI: text), (try? ConnectionString(stripped.text))?.options == passwordless {
            return stripped.text
        }
        return Self.keywordValue(passwordless)
    }

    /// The text to show a person: the password, if any, as `****`.
    public var redacted: String {
        guard options["password"] != nil else { return text }
        guard let stripped = Self.removingPassword(fromURI: text),
              (try? ConnectionString(stripped.text))?.options == passwordless else {
            return Self.keywordValue(passwordless.merging(["password": "****"]) { $1 })
        }
        var masked = stripped.text
        if let userEnd = stripped.userEnd { masked.insert(contentsOf: ":****", at: masked.index(masked.startIndex, offsetBy: userEnd)) }
        if stripped.fromQuery { masked += (masked.contains("?") ? "&" : "?") + "password=****" }
        return masked
    }

    /// The hosts and ports libpq will try, paired as libpq pairs them: one port for every host, or
    /// one port per host; an empty entry is libpq's default.
    var endpoints: [(host: String, port: String)] {
        let hosts = (options["host"].flatMap { $0.isEmpty ? nil : $0 } ?? options["hostaddr"] ?? "")
            .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let ports = (options["port"] ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return hosts.enumerated().map { index, host in
            (host, ports.count == hosts.count ? ports[index] : ports[0])
        }
    }

    private var passwordless: [String: String] {
        options.filter { $0.key != "password" }
    }

    // MARK: - The text

    private static func isURI(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The URI without `:password` in its user information and without a `password=` parameter,
    /// with where the user name ends (in characters) when a password followed it and whether a
    /// parameter held one;
    /// `nil` for text that is no URI. The user information ends, as libpq reads it, at the first `@`
    /// before any `/`.
    private static func removingPassword(fromURI text: String) -> (text: String, userEnd: Int?, fromQuery: Bool)? {
        guard isURI(text), let scheme = text.range(of: "://") else { return nil }
        var result = text
        var userEnd: Int?
        let rest = text[scheme.upperBound...]
        if let stop = rest.firstIndex(where: { $0 == "@" || $0 == "/" }), rest[stop] == "@",
           let colon = rest[..<stop].firstIndex(of: ":") {
            result.removeSubrange(colon..<stop)
            userEnd = text.distance(from: text.startIndex, to: colon)
        }
        guard let question = result.firstIndex(of: "?") else { return (result, userEnd, false) }
        let parameters = result[result.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false)
        let kept = parameters.filter { parameter in
            let key = parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return (key.removingPercentEncoding ?? key) != "password"
        }
        let base = String(result[..<question])
        return (kept.isEmpty ? base : base + "?" + kept.joined(separator: "&"), userEnd, kept.count < parameters.count)
    }

    /// `key='value'` pairs in keyword order, quoted as libpq reads them.
    private static func keywordValue(_ options: [String: String]) -> String {
        options.sorted { $0.key < $1.key }.map { key, value in
            let quoted = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            return "\(key)='\(quoted)'"
        }.joined(separator: " ")
    }

    /// libpq's message about a text it cannot read, without the parts of the text it quotes (any of
    /// them may be the password): `invalid percent-encoded token: "…"`.
    static func scrubbed(_ message: String) -> String {
        var result = ""
        var quoted = false
        for character in message.trimmingCharacters(in: .whitespacesAndNewlines) {
            if character == "\"" {
                result += quoted ? "…\"" : "\""
                quoted.toggle()
            } else if !quoted {
                result.append(character)
            }
        }
        return result
    }
}
