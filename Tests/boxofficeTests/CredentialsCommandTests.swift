import Foundation
import Testing
import TestSupport

/// A counter's credentials through the CLI: no password on a command line, the store's files and
/// the login file readable by their user only, and a session file that cannot be planted.
struct CredentialsCommandTests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    static let secret = "s3cret-Pw"
    static let url = "postgresql://node_braga:\(secret)@127.0.0.1:1/central"

    private func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    private func store(_ name: String) -> String { cli.directory.appendingPathComponent(name).path }

    /// Attack 15: `ps` shows every process's arguments to every user of the machine.
    @Test(arguments: [
        ["sync", "--central", url],
        ["sync", "--central", url, "--watch"],
        ["sync", "now", "--central", "host=127.0.0.1 user=node_braga password=\(secret)"],
        ["sync", "--central", "postgresql://node_braga@127.0.0.1:1/central?password=\(secret)"],
        ["conflicts", "resolve", "conflict-1", "--refund", "--central", url],
        ["central", "init", "--url", url],
        ["central", "add-node", "braga-1", "--all", "--url", url],
        ["central", "conflicts", "--url", url],
        ["import-legacy", "--from", url],
        ["import-legacy", "--central", url],
    ])
    func aPasswordOnTheCommandLineIsRefusedBeforeAnythingIsDone(arguments: [String]) throws {
        let result = try cli.run(arguments, environment: ["BOXOFFICE_LEGACY_URL": "postgresql://reader@127.0.0.1:1/old"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("password off the command line, where every user of this machine can read it"))
        #expect(result.stderr.contains("on standard input ("), "it says how to give it instead: \(result.stderr)")
        #expect(!result.stderr.contains(Self.secret) && !result.stdout.contains(Self.secret))
        #expect(!result.stderr.contains("Fatal"))
        #expect(!FileManager.default.fileExists(atPath: cli.storePath), "no store was made")
    }

    @Test func theHelpSaysWhereTheURLComesFrom() throws {
        func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let sync = words(try cli.run(["help", "sync", "now"]).stdout)
        #expect(sync.contains("--central <url> The node's sync URL without its password, or - to read the whole URL from standard input."))
        #expect(sync.contains("give it on standard input with `--central -`, or in $BOXOFFICE_CENTRAL_URL"))
        #expect(sync.contains("docs/counter-credentials.md"))
        let central = words(try cli.run(["help", "central", "init"]).stdout)
        #expect(central.contains("Head office's PostgreSQL as a libpq URL without its password"))
    }

    @Test func twoURLsCannotBothComeFromStandardInput() throws {
        let result = try cli.run(["import-legacy", "--from", "-", "--central", "-"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--from and --central cannot both read standard input"))
    }

    @Test(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
    func aNodeURLFromStandardInputOrTheEnvironmentIsRememberedWithoutItsPassword() throws {
        let centralURL = try TestPostgres.makeDatabase()
        let initialised = try cli.run(["central", "init", "--url", "-"], stdin: centralURL + "\n")
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let added = try cli.run(["central", "add-node", "hq", "--all", "--json"], environment: ["BOXOFFICE_CENTRAL_URL": centralURL])
        #expect(added.status == 0, "\(added.stderr)")
        let nodeURL = try #require((try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["url"] as? String)
        let password = try #require(URLComponents(string: nodeURL)?.password)

        let counter = store("hq.sqlite")
        #expect(try cli.run(["init", "--db", counter]).status == 0)
        let first = try cli.run(["sync", "--db", counter, "--central", "-"], stdin: nodeURL + "\n")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try mode(counter) == 0o600)
        #expect(try mode(counter + ".pgpass") == 0o600)
        let passfile = try String(contentsOfFile: counter + ".pgpass", encoding: .utf8)
        #expect(passfile.contains(":" + password + "\n"))

        // Later syncs need no URL: the store remembers it, the passfile gives libpq the password.
        let again = try cli.run(["sync", "--db", counter])
        #expect(again.status == 0, "\(again.stderr)")
        let fromEnvironment = try cli.run(["sync", "--db", counter], environment: ["BOXOFFICE_CENTRAL_URL": nodeURL])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
        let status = try cli.run(["sync", "status", "--db", counter])
        #expect(status.stdout.contains("node password:   in \(counter).pgpass"), "\(status.stdout)")
        #expect(!status.stdout.contains(password))
        for file in [counter, counter + "-wal", counter + "-shm"] {
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            #expect(bytes.range(of: Data(password.utf8)) == nil, "grep finds no password in \(file)")
        }

        if TestPostgres.requiresPasswords {
            try FileManager.default.removeItem(atPath: counter + ".pgpass")
            let refused = try cli.run(["sync", "--db", counter])
            #expect(refused.status == 69 || refused.status == 77, "\(refused.stderr)")
            #expect(refused.stderr.contains("password"))
            #expect(try cli.run(["sync", "status", "--db", counter]).stdout.contains("node password:   none kept here"))
        }
    }

    @Test func theStoreIsReadableByItsUserOnlyOrItsGroupWhenAsked() throws {
        #expect(try cli.run(["init"]).status == 0)
        #expect(try mode(cli.storePath) == 0o600)
        let shared = store("shared.sqlite")
        #expect(try cli.run(["init", "--db", shared], environment: ["BOXOFFICE_STORE_ACCESS": "group"]).status == 0)
        #expect(try mode(shared) == 0o660)
        let wrong = try cli.run(["init", "--db", store("x.sqlite")], environment: ["BOXOFFICE_STORE_ACCESS": "everyone"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("BOXOFFICE_STORE_ACCESS must be owner"))

        // A store an earlier build left readable by everyone is made private again, and the cashier is told.
        #expect(chmod(cli.storePath, 0o644) == 0)
        let status = try cli.run(["sync", "status"])
        #expect(status.status == 0)
        #expect(try mode(cli.storePath) == 0o600)
        #expect(status.stderr.contains("could be read by other users of this machine (mode 0644): they are now mode 0600"))
    }

    // MARK: - The session file

    private func initWithManager() throws {
        let made = try cli.run(["init", "--manager-email", "manager@example.com", "--manager-name", "Manager", "--password-stdin"],
                               stdin: "manager-pass-123\n")
        #expect(made.status == 0, "\(made.stderr)")
    }

    private func logIn() throws {
        let login = try cli.run(["login", "--email", "manager@example.com", "--password-stdin"], stdin: "manager-pass-123\n")
        #expect(login.status == 0, "\(login.stderr)")
    }

    private var sessionPath: String { cli.storePath + ".session" }

    @Test func aSessionFileThatIsALinkIsRefusedAndLoggingInReplacesIt() throws {
        try initWithManager()
        let planted = store("planted-token")
        #expect(FileManager.default.createFile(atPath: planted, contents: Data("someone-elses-token\n".utf8),
                                               attributes: [.posixPermissions: 0o600]))
        try FileManager.default.createSymbolicLink(atPath: sessionPath, withDestinationPath: planted)

        let whoami = try cli.run(["whoami"])
        #expect(whoami.status == 77)
        #expect(whoami.stderr == "error: \(sessionPath) is a symbolic link, and a file holding a secret is never read or written through one: remove it and log in again\n")

        try logIn()
        #expect(FileManager.default.contents(atPath: planted) == Data("someone-elses-token\n".utf8), "never written through")
        #expect(try FileManager.default.attributesOfItem(atPath: sessionPath)[.type] as? FileAttributeType == .typeRegular)
        #expect(try mode(sessionPath) == 0o600)
        #expect(try cli.run(["whoami"]).stdout == "Manager <manager@example.com>, manager\n")
    }

    @Test func aSessionFileOthersCouldReadHasItsLoginEnded() throws {
        try initWithManager()
        try logIn()
        let token = try #require(FileManager.default.contents(atPath: sessionPath))
        #expect(chmod(sessionPath, 0o644) == 0)

        let whoami = try cli.run(["whoami"])
        #expect(whoami.status == 77)
        #expect(whoami.stderr.contains("could be read by other users of this machine (mode 0644)"))
        #expect(whoami.stderr.hasSuffix("log in again\n"))
        #expect(!FileManager.default.fileExists(atPath: sessionPath), "the exposed file is removed")

        // Whoever copied the token cannot use it: the login was ended at the store.
        #expect(FileManager.default.createFile(atPath: sessionPath, contents: token, attributes: [.posixPermissions: 0o600]))
        #expect(try cli.run(["whoami"]).stderr == "error: you have logged out: log in again\n")
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give a file to another user"))
    func aSessionFileOfAnotherUserIsRefused() throws {
        try initWithManager()
        try logIn()
        #expect(chown(sessionPath, 65534, 65534) == 0)
        for command in [["whoami"], ["logout"]] {
            let result = try cli.run(command)
            #expect(result.status == 77)
            #expect(result.stderr.contains("belongs to another user (uid 65534)"))
            #expect(result.stderr.hasSuffix("remove it and log in again\n"))
        }
    }
}
