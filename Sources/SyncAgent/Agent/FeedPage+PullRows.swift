import BoxOfficeKit

extension FeedPage {
    /// The page in `sync_api.pull_rows`'s result: its rows in feed order, then one row with a NULL
    /// `entity` that carries the cursor and the lag.
    ///
    /// - Throws: ``PostgresError`` when the result is not shaped that way (a head office whose
    ///   schema does not match this agent).
    init(pulledRows result: PostgresResult) throws(PostgresError) {
        let expected = ["feed_id", "feed_position", "entity", "entity_id", "operation", "hlc", "payload", "lag"]
        guard result.columns == expected, let end = result.values.last, end[2] == nil, let cursor = end[1] else {
            throw PostgresError(message: "head office sent a feed page without its end row; is its schema up to date?")
        }
        var rows: [FeedRow] = []
        rows.reserveCapacity(result.values.count - 1)
        for values in result.values.dropLast() {
            guard let entity = values[2], let entityID = values[3], let operation = values[4], let hlc = values[5],
                  let payload = values[6]
            else { throw PostgresError(message: "head office sent a feed row with a missing column") }
            rows.append(FeedRow(entity: entity, entityID: entityID, operation: operation, hlc: hlc, payload: payload))
        }
        self.init(rows: rows, cursor: cursor, lag: end[7].flatMap { Int($0) })
    }
}
