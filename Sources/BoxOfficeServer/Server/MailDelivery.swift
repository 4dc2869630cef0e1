import BoxOfficeKit
import Logging
import ServiceLifecycle

/// Hands the outbox's queued mail (verification codes) to the mail server in the background, as
/// the old server's worker pool did — but from the outbox, so nothing is lost when the server
/// stops; a mail the server refused is retried on the outbox's schedule.
struct MailDelivery: Service {
    let box: BoxOffice
    let mailer: any Mailer
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await box.mail.deliverDue(using: mailer)
                    if !report.failed.isEmpty {
                        logger.warning("mail failed for good", metadata: ["mails": .stringConvertible(report.failed.count)])
                    }
                } catch {
                    logger.error("mail delivery stopped for a round", metadata: ["error": .string(String(reflecting: type(of: error)))])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
