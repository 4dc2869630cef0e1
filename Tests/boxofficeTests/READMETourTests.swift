import BoxOfficeKit
import Foundation
import Testing

/// The README's tour at the counter, run as written: a cashier types names and handles, never an id.
struct READMETourTests {
    /// The commands of the README's first `sh` block after "## A tour at the counter", comments cut.
    static func tour() throws -> [[String]] {
        let readme = try String(contentsOf: ExampleTests.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## A tour at the counter"))
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```sh\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        return rest[open.upperBound..<close.lowerBound].split(separator: "\n").map { line in
            let command = line.range(of: "  #").map { line[..<$0.lowerBound] } ?? line[...]
            return command.split(separator: " ").map(String.init)
        }
    }

    @Test func aCashierRunsTheTourWithoutCopyingAnID() async throws {
        let tour = try Self.tour()
        #expect(tour.count == 8)
        for words in tour {
            let line = words.joined(separator: " ")
            #expect(line.wholeMatch(of: /.*[0-9a-f]{8}-[0-9a-f]{4}-.*/) == nil && !line.contains("_ID"), "an id in the tour: \(line)")
        }
        let cli = try CLIRunner()
        var store = cli.storePath, date: [String] = [], handle = "", code = ""
        for words in tour {
            switch words.first {
            case "make":
                #expect(words == ["make", "demo"])
                store = cli.directory.appendingPathComponent("demo.sqlite").path
                #expect(try cli.run(["demo", "--db", store, "--force"]).status == 0)  // what `make demo` runs
                continue
            case "export":
                #expect(words[1] == "BOXOFFICE_DB=./demo.sqlite")
                continue
            default:
                break
            }
            var arguments = Array(words.dropFirst())
            #expect(words.first == "boxoffice")
            var stdin: String?
            if arguments.first == "login" {
                arguments.append("--password-stdin")
                stdin = DemoData.cashierPassword + "\n"
            }
            if arguments.first == "seats" || arguments.first == "sell" {
                // The README's handle stands for one from the list: take one still to start.
                #expect(arguments[1].wholeMatch(of: /\d\d:\d\d\/\w+/) != nil)
                arguments[1] = handle
                arguments += date
            }
            if arguments.first == "receipt" || arguments.first == "cancel" {
                #expect(arguments[1] == "UYYXE6-0001")
                arguments[1] = code
            }
            let result = try cli.run(arguments, stdin: stdin, environment: ["BOXOFFICE_DB": store])
            #expect(result.status == 0, "\(line(words)): \(result.stderr)")
            switch arguments.first {
            case "showtimes":
                (handle, date) = try Self.nextHandle(cli: cli, store: store)
                #expect(result.stdout.contains("\n\(handle) ") || !date.isEmpty, "the list shows the handle")
            case "sell":
                code = String(result.stdout.prefix(while: { $0 != "\n" }))
            case "receipt":
                #expect(result.stdout.contains(code))
            case "cancel":
                #expect(result.stdout.contains("Refunded"))
            default:
                break
            }
        }
    }

    private func line(_ words: [String]) -> String { words.joined(separator: " ") }

    /// A handle at Cinema Braga still to start: today's next, else tomorrow's first with `--date`.
    static func nextHandle(cli: CLIRunner, store: String) throws -> (String, [String]) {
        for days in 0...1 {
            let day = localDay(in: "Asia/Jakarta", daysFromToday: days)
            let list = try cli.run(["showtimes", "list", "--cinema", "Braga", "--date", day, "--json"], environment: ["BOXOFFICE_DB": store])
            let items = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["items"] as? [[String: Any]] ?? []
            let formatter = ISO8601DateFormatter()
            if let next = items.first(where: { ($0["starts_at"] as? String).flatMap(formatter.date(from:)).map { $0 > Date().addingTimeInterval(120) } ?? false }),
               let handle = next["handle"] as? String {
                return (handle, days == 0 ? [] : ["--date", day])
            }
        }
        throw CLIFailure("no showtime still to start at Cinema Braga")
    }
}
