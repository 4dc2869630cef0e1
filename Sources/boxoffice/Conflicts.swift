import ArgumentParser
import BoxOfficeKit
import Foundation
import SyncAgent

extension BoxOfficeCommand {
    /// `boxoffice conflicts`: the sync conflicts head office reported for this counter's cinema.
    struct Conflicts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List sync conflicts (sales moved or needing a refund, rejected changes) and resolve them.",
            subcommands: [List.self, Resolve.self],
            defaultSubcommand: List.self)
    }
}

extension BoxOfficeCommand.Conflicts {
    /// `boxoffice conflicts [list] [--all] [--json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the conflicts known at this counter.")

        @OptionGroup var options: StoreOptions
        @Flag(help: "Include resolved conflicts.") var all = false

        func run() async throws {
            let box = try options.openStore()
            let conflicts = try await box.replica.conflicts(includeResolved: all)
            try ConflictTable.print(conflicts, json: options.json, zone: await TimeText.zone(of: box))
        }
    }

    /// `boxoffice conflicts resolve ID --seat F14 | --refund | --close`.
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a conflict at head office (needs the network): another seat, a refund, or closed as it stands.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The conflict's id.") var id: String
        @Option(help: "Give the ticket this seat instead.") var seat: String?
        @Flag(help: "Refund the booking instead.") var refund = false
        @Flag(help: "Close it as it stands: a refused change stays refused, a reseated ticket keeps its new seat.")
        var close = false
        @Option(help: ArgumentHelp(
            "The node's sync URL without its password, or - to read the whole URL from standard input.",
            discussion: "Default: $BOXOFFICE_CENTRAL_URL, else the URL remembered from the last sync.", valueName: "url"))
        var central: String?

        func validate() throws {
            guard [seat != nil, refund, close].filter({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --seat LABEL, --refund or --close")
            }
            try URLInput.refusePassword(in: central, option: "--central", whose: "the node's",
                                        alternatives: "in $BOXOFFICE_CENTRAL_URL")
        }

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .cashier, toDo: "resolve a sync conflict")
            let person = try await box.accounts.user(id: principal.userID).email
            let url = try await BoxOfficeCommand.Sync.Round.nodeURL(central, box: box)
            try await SyncAgent(box: box, centralURL: url).resolveConflict(id, seat: seat, close: close, by: person)
            if options.json, let resolved = try await box.replica.conflicts(includeResolved: true).first(where: { $0.id == id }) {
                return try Output.json(resolved)
            }
            if close { return print("Conflict \(id) closed as it stands.") }
            print(seat.map { "Conflict \(id) resolved: seat \($0.uppercased())." } ?? "Conflict \(id) resolved: booking refunded.")
        }
    }
}
