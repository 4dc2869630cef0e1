import ArgumentParser
import BoxOfficeKit

/// `--page` and `--limit` for commands that list a long list one page at a time.
struct PageOptions: ParsableArguments {
    @Option(help: "The page to show, from 1.")
    var page = 1

    @Option(help: "How many items a page holds (1-\(PageRequest.maximumLimit)).")
    var limit = 20

    var request: PageRequest { PageRequest(page: page, limit: limit) }
}
