import ArgumentParser
import Foundation

/// Where head office's PostgreSQL is, for the commands that talk to it: its administrator's libpq
/// URL, whose password never goes on the command line.
struct CentralOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Head office's PostgreSQL as a libpq URL without its password (postgresql://admin@host:port/database), or - to read the whole URL from standard input.",
        discussion: "Default: $BOXOFFICE_CENTRAL_URL. A password comes with the URL on standard input or in the variable, or from PGPASSWORD or ~/.pgpass.",
        valueName: "url"))
    var url: String?

    func validate() throws {
        try URLInput.refusePassword(in: url, option: "--url", whose: "head office's",
                                    alternatives: "in $BOXOFFICE_CENTRAL_URL (or use PGPASSWORD or ~/.pgpass)")
    }

    /// The URL from the option, standard input or the environment.
    func resolvedURL() throws -> String {
        if let url = try URLInput.resolve(url, option: "--url", variable: "BOXOFFICE_CENTRAL_URL") { return url }
        throw ValidationError("give head office's URL with --url (- for standard input) or $BOXOFFICE_CENTRAL_URL")
    }
}
