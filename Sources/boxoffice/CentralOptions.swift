import ArgumentParser
import Foundation

/// Where head office's PostgreSQL is, for the commands that talk to it.
struct CentralOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Head office's PostgreSQL, as a libpq URL (postgresql://user:password@host:port/database).",
        discussion: "Default: $BOXOFFICE_CENTRAL_URL.", valueName: "url"))
    var url: String?

    /// The URL from the option or the environment.
    func resolvedURL() throws -> String {
        if let url, !url.isEmpty { return url }
        if let url = ProcessInfo.processInfo.environment["BOXOFFICE_CENTRAL_URL"], !url.isEmpty { return url }
        throw ValidationError("give head office's URL with --url or $BOXOFFICE_CENTRAL_URL")
    }
}
