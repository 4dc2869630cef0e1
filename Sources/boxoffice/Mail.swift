import ArgumentParser

extension BoxOfficeCommand {
    /// `boxoffice mail`: the outbox of mail waiting for (or done with) the mail server.
    struct Mail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "See and send the mail outbox.",
            discussion: """
                Mail is queued in the store with the event that causes it and sent through the server in
                BOXOFFICE_SMTP_URL (smtp://[user:pass@]host:port or smtps://…), with BOXOFFICE_SMTP_STARTTLS
                (required, optional or off) and BOXOFFICE_MAIL_FROM, read from the environment, ./.env, or the
                JSON file named by BOXOFFICE_CONFIG_FILE.
                """,
            subcommands: [List.self, Send.self])
    }
}
