import ArgumentParser
import BoxOfficeKit
import Foundation
import SyncAgent

extension BoxOfficeCommand {
    /// `boxoffice central …`: head office's own tasks on its PostgreSQL.
    struct Central: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Head office: set up PostgreSQL, register nodes, allot seats, settle conflicts.",
            subcommands: [Init.self, AddNode.self, RotateNode.self, RevokeNode.self, CancelShowtime.self, Staff.self, Allot.self,
                          Policy.self, MergeAccounts.self, Conflicts.self, Resolve.self])
    }
}

extension BoxOfficeCommand.Central {
    /// `boxoffice central init`.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or upgrade head office's schema (safe to run again).")

        @OptionGroup var central: CentralOptions

        func run() async throws {
            let applied = try HeadOffice(url: try central.resolvedURL()).initialise()
            let rules = applied.rulesApplied == 0 ? [] : ["head office's rules (\(applied.rulesApplied) files)"]
            print(applied.isEmpty ? "Head office's schema is up to date." : "Applied \((applied.migrations + rules).joined(separator: " and ")).")
        }
    }

    /// `boxoffice central add-node NODE --cinema ID | --all`.
    struct AddNode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a counter node and create its PostgreSQL role; prints the URL it syncs with.")

        @OptionGroup var central: CentralOptions
        @Argument(help: "The node's name: lower-case letters, digits, - and _ (e.g. jkt-counter-1).") var node: String
        @Option(help: "The cinema the node sells for.") var cinema: String?
        @Flag(help: "A head-office node that serves every cinema (it publishes the catalog).") var all = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard (cinema != nil) != all else { throw ValidationError("give exactly one of --cinema ID or --all") }
        }

        func run() async throws {
            let registration = try HeadOffice(url: try central.resolvedURL()).addNode(named: node, cinemaID: cinema)
            if json { return try Output.json(registration) }
            print("Node \(registration.name) registered (role \(registration.role)).")
            print("Its sync URL — it holds the node's password: keep it secret, give it to the counter:")
            print(registration.url)
            print("On the counter: boxoffice sync --central -   (paste the URL; never put it on a command line)")
        }
    }

    /// `boxoffice central allot SHOWTIME A1-A20 --node N`.
    struct Allot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allot seats of a showtime to one node: only it sells them while offline.")

        @OptionGroup var central: CentralOptions
        @Argument(help: "The showtime's id.") var showtime: String
        @Argument(help: "Seats or ranges of one row, e.g. A1-A20 B5.") var seats: [String]
        @Option(help: "The node that gets the seats.") var node: String

        func run() async throws {
            let count = try HeadOffice(url: try central.resolvedURL()).allot(showtimeID: showtime, seats: seats, to: node)
            print("Allotted \(count) seats to \(node); it receives them at its next sync.")
        }
    }

    /// `boxoffice central merge-accounts`.
    struct MergeAccounts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge customer accounts registered twice with one email (the counters' syncs do this too).")

        @OptionGroup var central: CentralOptions

        func run() async throws {
            let merged = try HeadOffice(url: try central.resolvedURL()).mergeAccounts()
            print(merged == 0 ? "No account was registered twice." : "Merged \(merged) account\(merged == 1 ? "" : "s") into the earlier registration of their email.")
        }
    }

    /// `boxoffice central policy --cinema ID first-accepted|earliest-sale-wins`.
    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Choose how a cinema settles two sales of one seat.")

        @OptionGroup var central: CentralOptions
        @Option(help: "The cinema.") var cinema: String
        @Argument(help: "first-accepted (default) or earliest-sale-wins.") var policy: String

        func run() async throws {
            guard let chosen = SeatPolicy(rawValue: policy) else {
                throw ValidationError("policy must be first-accepted or earliest-sale-wins")
            }
            try HeadOffice(url: try central.resolvedURL()).setSeatPolicy(chosen, forCinema: cinema)
            print("Cinema \(cinema) now settles seat conflicts by \(chosen.rawValue).")
        }
    }

    /// `boxoffice central conflicts`.
    struct Conflicts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the conflicts head office recorded.")

        @OptionGroup var central: CentralOptions
        @Flag(help: "Include resolved conflicts.") var all = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let conflicts = try HeadOffice(url: try central.resolvedURL()).conflicts(includeResolved: all)
            try ConflictTable.print(conflicts, json: json, zone: .current)
        }
    }

    /// `boxoffice central resolve ID --seat F14 | --refund | --close`.
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a conflict: another seat, a refund, or closed as it stands (--close).")

        @OptionGroup var central: CentralOptions
        @Argument(help: "The conflict's id.") var id: String
        @Option(help: "Give the ticket this seat instead.") var seat: String?
        @Flag(help: "Refund the booking instead.") var refund = false
        @Flag(help: "Close it as it stands: a refused change stays refused, a reseated ticket keeps its new seat.")
        var close = false
        @Option(help: "Who resolves it, for the record.") var by = "head office"

        func validate() throws {
            guard [seat != nil, refund, close].filter({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --seat LABEL, --refund or --close")
            }
        }

        func run() async throws {
            let headOffice = try HeadOffice(url: try central.resolvedURL())
            if let seat {
                try headOffice.resolveConflict(id, withSeat: seat, by: by)
                print("Conflict \(id) resolved: seat \(seat.uppercased()).")
            } else if close {
                try headOffice.closeConflict(id, by: by)
                print("Conflict \(id) closed as it stands.")
            } else {
                try headOffice.refundConflict(id, by: by)
                print("Conflict \(id) resolved: booking refunded.")
            }
        }
    }
}
