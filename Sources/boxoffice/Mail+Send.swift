import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand.Mail {
    /// `boxoffice mail send`: delivers the queued mail through the configured server.
    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the queued mail now through the configured mail server.",
            discussion: "Exits 69 when some mail could not be sent; it stays queued (or, after its last try, failed).")

        @OptionGroup var options: StoreOptions
        @Flag(help: "Only mail whose retry time has come (for a job run every few minutes).") var dueOnly = false

        func run() async throws {
            guard let mailer = try await MailSettings.mailer() else {
                throw MailError.invalidSetting(name: SMTPMailer.Configuration.urlSetting, reason: "is not set, so nothing can be sent")
            }
            let box = try options.openStore()
            let report = try await box.mail.deliverDue(using: mailer, ignoringSchedule: !dueOnly)
            if options.json {
                try Output.json(report)
            } else {
                print("Sent \(report.sent.count), will retry \(report.retrying.count), failed \(report.failed.count).")
            }
            if !report.retrying.isEmpty || !report.failed.isEmpty {
                let unsent = (report.retrying + report.failed).map(String.init).joined(separator: ", ")
                throw MailError.deliveryFailed("mail \(unsent) not sent; see `boxoffice mail list`")
            }
        }
    }
}
