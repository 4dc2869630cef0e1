/// One page of a longer list, with what a caller needs to ask for the next one.
///
/// Mirrors the old API's `?page&limit` paging: pages count from 1.
///
/// ```swift
/// let page = try await box.catalog.cinemas(page: PageRequest(page: 1, limit: 20))
/// print("\(page.items.count) of \(page.total)")
/// ```
public struct Page<Item: Sendable>: Sendable {
    /// The items of this page, in the list's order.
    public var items: [Item]
    /// The page number, from 1.
    public var page: Int
    /// The largest number of items a page holds.
    public var limit: Int
    /// How many items the whole list holds.
    public var total: Int

    public init(items: [Item], page: Int, limit: Int, total: Int) {
        self.items = items
        self.page = page
        self.limit = limit
        self.total = total
    }

    /// Whether a later page holds more items.
    public var hasMore: Bool {
        let (seen, overflow) = page.multipliedReportingOverflow(by: limit)
        return !overflow && seen < total
    }
}

extension Page: Encodable where Item: Encodable {}

/// Which page of a list to read: `page` from 1, at most `limit` items.
public struct PageRequest: Hashable, Sendable {
    /// The largest `limit` a caller may ask for.
    public static let maximumLimit = 200
    /// The largest `page` a caller may ask for: far past any list's end, and small enough that
    /// ``offset`` and ``Page/hasMore`` never overflow.
    public static let maximumPage = 1_000_000

    /// The page number, from 1.
    public var page: Int
    /// The largest number of items to return, from 1 to ``maximumLimit``.
    public var limit: Int

    /// Creates a page request; ``validated()`` checks it.
    public init(page: Int = 1, limit: Int = 20) {
        self.page = page
        self.limit = limit
    }

    /// The number of items before this page.
    public var offset: Int { (page - 1) * limit }

    /// Returns this request, or throws ``InputError`` naming `page` or `limit` when out of range.
    public func validated() throws(InputError) -> PageRequest {
        guard page >= 1 else { throw InputError(field: "page", reason: "must be 1 or more") }
        guard page <= Self.maximumPage else {
            throw InputError(field: "page", reason: "must be at most \(Self.maximumPage)")
        }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw InputError(field: "limit", reason: "must be between 1 and \(Self.maximumLimit)")
        }
        return self
    }
}
