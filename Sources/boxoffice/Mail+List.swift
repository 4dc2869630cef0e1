import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand.Mail {
    /// `boxoffice mail list`: the outbox, newest first, without bodies.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the outbox, newest first (bodies stay sealed).")

        @OptionGroup var options: StoreOptions
        @Option(help: "Only mail with this status: queued, sent or failed.") var status: MailOutbox.Status?
        @Option(help: "The page, from 1.") var page = 1
        @Option(help: "Mails per page, 1 to 200.") var limit = 20

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box, requiring: .manager, toDo: "read the mail outbox")
            let list = try await box.mail.list(page: PageRequest(page: page, limit: limit), status: status, by: manager)
            if options.json {
                try Output.json(page: list)
                return
            }
            let zone = await TimeText.zone(of: box)
            Output.table(
                ["ID", "STATUS", "TRIES", "TO", "SUBJECT", "NEXT TRY / SENT (\(zone.identifier))", "LAST ERROR"],
                list.items.map { mail in
                    [String(mail.id), mail.status.rawValue, String(mail.attempts), mail.recipient, mail.subject,
                     LocalDateTime(mail.sentAt ?? mail.nextAttemptAt, timeZone: zone).description, mail.lastError ?? ""]
                })
            print("\(list.items.count) of \(list.total) mails")
        }
    }
}

extension MailOutbox.Status: ExpressibleByArgument {}
