import Testing
@testable import BoxOfficeKit

/// Pages are bounded, so no list overflows computing where a page starts.
struct PagingTests {
    /// Issue 15, item 13: a page far past the end is refused, not an overflow crash.
    @Test func aHugePageIsRefused() async throws {
        let store = try TestStore()
        for page in [Int.max, PageRequest.maximumPage + 1] {
            await #expect(throws: InputError(field: "page", reason: "must be at most \(PageRequest.maximumPage)")) {
                _ = try await store.box.catalog.cinemas(page: PageRequest(page: page, limit: 200))
            }
        }
        let last = try await store.box.catalog.movies(page: PageRequest(page: PageRequest.maximumPage, limit: PageRequest.maximumLimit))
        #expect(last.items.isEmpty && !last.hasMore)
        #expect(!Page<Int>(items: [], page: Int.max, limit: 200, total: 5).hasMore)
    }
}
