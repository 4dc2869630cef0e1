import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice movies …`: add and list movies.
    struct Movies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add and list movies.", subcommands: [Add.self, List.self], defaultSubcommand: List.self)
    }
}

extension BoxOfficeCommand.Movies {
    /// `boxoffice movies add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a movie (managers only).")

        @OptionGroup var options: StoreOptions
        @Option(help: "The title.") var title: String
        @Option(help: "The running time in minutes.") var duration: Int
        @Option(help: "A short synopsis.") var description = ""
        @Option(help: "The release date, YYYY-MM-DD.") var releaseDate: String?
        @Option(help: "The genre, e.g. Drama.") var genre = ""
        @Option(help: "The age rating, e.g. SU, 13+, 17+, 21+.") var rating = ""
        @Option(help: "The poster's http(s) URL.") var posterUrl: String?
        @Option(help: "The director.") var director = ""
        @Option(help: "A cast member; repeat for each, leading names first.") var cast: [String] = []

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box)
            var draft = MovieDraft(title: title, durationMinutes: duration)
            draft.description = description
            draft.releaseDate = releaseDate
            draft.genre = genre
            draft.rating = rating
            draft.posterURL = posterUrl
            draft.director = director
            draft.cast = cast
            let movie = try await box.catalog.addMovie(draft, by: manager)
            if options.json { return try Output.json(movie) }
            print("Added movie \(movie.title), \(movie.durationMinutes) min.")
        }
    }

    /// `boxoffice movies list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the movies, by title, one page at a time.")

        @OptionGroup var options: StoreOptions
        @OptionGroup var paging: PageOptions

        func run() async throws {
            let page = try await options.openStore().catalog.movies(page: paging.request)
            if options.json { return try Output.json(page: page) }
            Output.table(
                ["TITLE", "MIN", "RATING", "GENRE", "ID"],
                page.items.map { [$0.title, String($0.durationMinutes), $0.rating, $0.genre, $0.id] })
            print("page \(page.page), \(page.items.count) of \(page.total) movies")
        }
    }
}
