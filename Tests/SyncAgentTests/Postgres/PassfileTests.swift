import BoxOfficeKit
import Foundation
import Testing
import TestSupport
@testable import SyncAgent

/// A node's passfile gives its password to its own connection and to nothing else, escaped as libpq
/// reads it, and libpq really takes the password from it.
struct PassfileTests {
    @Test func colonsAndBackslashesAreEscapedAndReadBack() throws {
        let connection = try ConnectionString("postgresql://node_braga@[::1]:5432/box:office")
        let passfile = try Passfile(for: connection, password: #"pa:ss\wo*rd"#)
        #expect(passfile.entries.map(\.line) == [#"\:\:1:5432:box\:office:node_braga:pa\:ss\\wo*rd"#])
        #expect(passfile.text.hasPrefix("#"), "a comment says what the file is")
        let read = Passfile(parsing: passfile.text)
        #expect(read == passfile)
        #expect(read.password(host: "::1", port: "5432", database: "box:office", user: "node_braga") == #"pa:ss\wo*rd"#)
        #expect(read.password(host: "::1", port: "5432", database: "boxoffice", user: "node_braga") == nil)
    }

    @Test func whatTheURLLeavesToLibpqsDefaultsIsAWildcard() throws {
        let passfile = try Passfile(for: ConnectionString("postgresql://hq.example"), password: "pw")
        #expect(passfile.entries.map(\.line) == ["hq.example:*:*:*:pw"])
        #expect(passfile.password(host: "hq.example", port: "6543", database: "any", user: "anyone") == "pw")
        #expect(passfile.password(host: "evil.example", port: "6543", database: "any", user: "anyone") == nil,
                "the password goes to the host the URL names, never to another")
    }

    @Test func everyHostOfAListGetsItsLine() throws {
        let both = try Passfile(for: ConnectionString("postgresql://n@hq-1.example:5432,hq-2.example:5433/box"), password: "pw")
        #expect(both.entries.map(\.line) == ["hq-1.example:5432:box:n:pw", "hq-2.example:5433:box:n:pw"])
        let onePort = try Passfile(for: ConnectionString("host=a.example,b.example port=6000 dbname=box user=n"), password: "pw")
        #expect(onePort.entries.map(\.line) == ["a.example:6000:box:n:pw", "b.example:6000:box:n:pw"])
        let socket = try Passfile(for: ConnectionString("host=/var/run/postgresql dbname=box user=n"), password: "pw")
        #expect(socket.entries.map(\.line) == [#"/var/run/postgresql:*:box:n:pw"#, "localhost:*:box:n:pw"])
        let star = try Passfile(for: ConnectionString("host=* user=n"), password: "*")
        #expect(star.entries.map(\.line) == [#"\*:*:*:n:\*"#], "a field that is a star is no wildcard")
    }

    @Test func aPasswordWithALineBreakCannotBeKept() throws {
        let error = #expect(throws: InputError.self) {
            try Passfile(for: ConnectionString("postgresql://n@hq.example/box"), password: "two\nlines")
        }
        #expect(error?.field == "password")
    }

    /// The escaping is libpq's: a role whose password has every character the format escapes logs in
    /// with a URL that carries no password and the passfile.
    @Test(.enabled(if: TestPostgres.requiresPasswords, "needs a PostgreSQL that asks for passwords (scripts/test.sh)"))
    func libpqLogsInWithThePasswordFromThePassfile() throws {
        let databaseURL = try TestPostgres.makeDatabase()
        let admin = try PostgresConnection(url: databaseURL)
        let role = "passfile_" + UUID().uuidString.prefix(8).lowercased()
        let password = #"a:b\c:*d\\e"#
        try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
        defer { try? admin.execute("DROP ROLE \(role)") }
        var components = try #require(URLComponents(string: databaseURL))
        components.user = role
        let url = try #require(components.string)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("passfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = PrivateFile(path: directory.appendingPathComponent("store.sqlite.pgpass").path, remedy: "remove it")
        try file.write(Data(try Passfile(for: ConnectionString(url), password: password).text.utf8))

        let error = #expect(throws: PostgresError.self) { try PostgresConnection(url: url) }
        #expect(error?.message.contains("password") == true, "without the passfile the server wants a password")
        let connection = try PostgresConnection(url: url, passfile: file.path)
        #expect(try connection.query("SELECT current_user").scalar == role)
    }
}
