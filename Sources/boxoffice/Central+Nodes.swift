import ArgumentParser
import BoxOfficeKit
import Foundation
import SyncAgent

extension BoxOfficeCommand.Central {
    /// `boxoffice central rotate-node NODE`.
    struct RotateNode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-node",
            abstract: "Give a node a new password; the old sync URL stops working at once.")

        @OptionGroup var central: CentralOptions
        @Argument(help: "The node's name.") var node: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let registration = try HeadOffice(url: try central.resolvedURL()).rotateNode(named: node)
            if json { return try Output.json(registration) }
            print("Node \(registration.name) has a new password; its old sync URL no longer works.")
            print("Its new sync URL — keep it secret, give it to the counter:")
            print(registration.url)
        }
    }

    /// `boxoffice central revoke-node NODE`.
    struct RevokeNode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-node",
            abstract: "Stop a lost or stolen counter for good: release its seats and holds, list its missing sales.")

        @OptionGroup var central: CentralOptions
        @Argument(help: "The node's name.") var node: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let revocation = try HeadOffice(url: try central.resolvedURL()).revokeNode(named: node)
            if json { return try Output.json(revocation) }
            print("Node \(node) is revoked: it can no longer sync.")
            print("Released \(revocation.releasedAllotments) allotted seats and \(revocation.expiredHolds) holds; its paid sales stand.")
            guard let highest = revocation.highestCode else {
                return print("Head office received no booking of it.")
            }
            if revocation.missingCount == 0 {
                print("Head office received every booking code up to \(highest).")
            } else {
                print("Booking codes up to \(highest) that head office never received (\(revocation.missingCount)):")
                print(revocation.missingCodes.joined(separator: " ") + (revocation.missingCount > revocation.missingCodes.count ? " …" : ""))
            }
            print("Sales made after \(highest) that the counter never sent are not known here.")
        }
    }
}

extension BoxOfficeCommand.Central {
    /// `boxoffice central cancel-showtime SHOWTIME_ID`.
    struct CancelShowtime: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel-showtime",
            abstract: "Cancel a showtime at head office: its paid sales are kept for a refund, its holds cancelled.")

        @OptionGroup var central: CentralOptions
        @Argument(help: "The showtime's id.") var showtime: String
        @Option(help: "Why it is cancelled, kept on the conflict records.") var reason: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let cancellation = try HeadOffice(url: try central.resolvedURL()).cancelShowtime(id: showtime, reason: reason)
            if json { return try Output.json(cancellation) }
            print("Showtime \(cancellation.showtimeID) is cancelled; counters hear of it at their next sync.")
            print("\(cancellation.refundRequired) paid sales need a refund (see central conflicts); "
                  + "\(cancellation.cancelledHolds) holds cancelled; \(cancellation.releasedTickets) seats released.")
            print("Sales counters made offline before they heard are kept for a refund when they sync.")
        }
    }
}
