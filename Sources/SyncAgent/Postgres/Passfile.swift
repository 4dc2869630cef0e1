import BoxOfficeKit
import Foundation

/// A libpq password file: one `host:port:database:user:password` line per connection, where a field
/// of `*` matches anything and `\` escapes a `:` or `\` inside a field.
///
/// libpq reads it when a connection names it (`passfile=…`) and sets no password itself, and only
/// when no one but its user may read it (mode 0600).
///
/// ```swift
/// let passfile = try Passfile(for: ConnectionString("postgresql://node_braga@hq.example/boxoffice"), password: "s3:cr\\et")
/// passfile.text   // "hq.example:*:boxoffice:node_braga:s3\:cr\\et\n" after a comment line
/// ```
public struct Passfile: Sendable, Hashable {
    /// One line of the file; `nil` fields are `*`, which matches any value.
    public struct Entry: Sendable, Hashable {
        public var host: String?
        public var port: String?
        public var database: String?
        public var user: String?
        public var password: String

        public init(host: String?, port: String?, database: String?, user: String?, password: String) {
            self.host = host
            self.port = port
            self.database = database
            self.user = user
            self.password = password
        }

        /// The line as libpq reads it.
        public var line: String {
            [host, port, database, user].map { $0.map(Passfile.escaped) ?? "*" }.joined(separator: ":")
                + ":" + Passfile.escaped(password)
        }
    }

    /// The lines, in the order libpq tries them (the first that matches gives the password).
    public var entries: [Entry]

    /// A file of `entries`.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// A file that gives `password` to `connection` and to nothing else: one line per host it
    /// names, with the port, database and user it names (`*` where it leaves one to libpq's
    /// defaults).
    ///
    /// - Throws: ``InputError`` for a password with a line break, which no passfile can hold.
    public init(for connection: ConnectionString, password: String) throws(InputError) {
        guard !password.contains(where: \.isNewline) else {
            throw InputError(field: "password", reason: "a password with a line break cannot be kept in a libpq passfile")
        }
        let database = connection.options["dbname"].flatMap { $0.isEmpty ? nil : $0 }
        let user = connection.options["user"].flatMap { $0.isEmpty ? nil : $0 }
        var entries: [Entry] = []
        for endpoint in connection.endpoints {
            let port = endpoint.port.isEmpty ? nil : endpoint.port
            // libpq looks up a socket folder given as the host by its path, and its default one as localhost.
            var hosts: [String?] = [endpoint.host.isEmpty ? nil : endpoint.host]
            if endpoint.host.hasPrefix("/") { hosts.append("localhost") }
            for host in hosts {
                let entry = Entry(host: host, port: port, database: database, user: user, password: password)
                if !entries.contains(entry) { entries.append(entry) }
            }
        }
        self.entries = entries
    }

    /// Reads a passfile as libpq does: comment lines (`#`) and blank lines are skipped; each other
    /// line needs five fields.
    public init(parsing text: String) {
        entries = text.split(whereSeparator: \.isNewline).compactMap { line -> Entry? in
            guard !line.hasPrefix("#") else { return nil }
            let fields = Self.fields(of: line)
            guard fields.count >= 5 else { return nil }
            func field(_ index: Int) -> String? { fields[index] == "*" ? nil : Self.unescaped(fields[index]) }
            return Entry(host: field(0), port: field(1), database: field(2), user: field(3),
                         password: Self.unescaped(fields[4]))  // up to the next unescaped ':', as libpq reads it
        }
    }

    /// The file's text: a comment, then one line per entry.
    public var text: String {
        "# libpq passfile written by boxoffice: the node's password for head office. Keep it mode 0600.\n"
            + entries.map { $0.line + "\n" }.joined()
    }

    /// The password libpq would take from this file for a connection to `host`, `port`, `database`
    /// as `user`: the first line whose every field matches.
    public func password(host: String, port: String, database: String, user: String) -> String? {
        entries.first { entry in
            [(entry.host, host), (entry.port, port), (entry.database, database), (entry.user, user)]
                .allSatisfy { field, value in field == nil || field == value }
        }?.password
    }

    // MARK: - Escaping

    /// `value` with `\` and `:` escaped by `\`, and a lone `*` escaped so that it is no wildcard.
    static func escaped(_ value: String) -> String {
        if value == "*" { return "\\*" }
        var escaped = ""
        for character in value {
            if character == "\\" || character == ":" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// `value` with every `\x` read as `x`.
    static func unescaped(_ value: String) -> String {
        var result = ""
        var escaping = false
        for character in value {
            if escaping || character != "\\" {
                result.append(character)
                escaping = false
            } else {
                escaping = true
            }
        }
        return result
    }

    /// The fields of a line split at every `:` that no `\` escapes, still escaped.
    private static func fields(of line: Substring) -> [String] {
        var fields = [""]
        var escaping = false
        for character in line {
            if escaping {
                fields[fields.count - 1].append(character)
                escaping = false
            } else if character == "\\" {
                fields[fields.count - 1].append(character)
                escaping = true
            } else if character == ":" {
                fields.append("")
            } else {
                fields[fields.count - 1].append(character)
            }
        }
        return fields
    }
}
