/// One page of head office's feed, as `sync_api.pull_rows` returns it: the rows in feed order and
/// the cursor to pull from next.
///
/// ```swift
/// let page = FeedPage(rows: [FeedRow(entity: "movies", entityID: id, operation: "update", hlc: stamp,
///                                    payload: #"{"id": "…", "title": "Dune", …}"#)],
///                     cursor: "5242:428", lag: 0)
/// try await box.replica.applyFeed(page)
/// ```
public struct FeedPage: Sendable {
    /// The rows for this store, in feed order.
    public var rows: [FeedRow]
    /// The feed position after the page (past rows meant for other stores too).
    public var cursor: String
    /// Rows still waiting at head office, when it counted them (on the last page of a drain).
    public var lag: Int?

    /// A page of `rows` that ends at feed position `cursor`, with `lag` rows still waiting after it.
    public init(rows: [FeedRow], cursor: String, lag: Int? = nil) {
        self.rows = rows
        self.cursor = cursor
        self.lag = lag
    }
}

/// One row of head office's feed: a synced table's row as head office holds it now.
///
/// A row reads its payload when it is made, so that work happens where the page is built (the
/// sync agent builds the next page while the store applies the current one), not while the store
/// is locked for writing.
public struct FeedRow: Sendable {
    /// The synced table, e.g. `tickets`.
    public let entity: String
    /// The row's key (for seat blocks and allotments `showtime_id/seat_id`).
    public let entityID: String
    /// `insert`, `update` or `delete`.
    public let operation: String
    /// The HLC stamp of the row's last change.
    public let hlc: String
    /// The row's columns as one JSON object, e.g. `{"id": "…", "status": "active", …}`.
    public let payload: String
    /// The payload's values by their parameter in ``FeedPageTable``'s insert, or why this store
    /// cannot apply the row (``Replica/applyFeed(_:)`` then quarantines it).
    let boundValues: Result<[FeedPageTable.BoundValue], Unusable>

    /// Why a feed row cannot be applied, in words.
    struct Unusable: Error {
        var reason: String
    }

    /// A row of `entity` keyed `entityID`; `payload` is read here. A payload that is not one JSON
    /// object, or not a row of its table (`schemas/payloads.csv`: a key the store needs missing, or
    /// of another type), makes ``Replica/applyFeed(_:)`` quarantine the row and apply the rest.
    public init(entity: String, entityID: String, operation: String, hlc: String, payload: String) {
        self.entity = entity
        self.entityID = entityID
        self.operation = operation
        self.hlc = hlc
        self.payload = payload
        self.boundValues = Result { () throws(Unusable) in
            let parsed: FeedPayload
            do {
                parsed = try FeedPayload(payload)
            } catch {
                throw Unusable(reason: "its payload is not a JSON object")
            }
            if operation != "delete", let table = FeedEntity.named(entity), PayloadShape.standard.entities.contains(entity),
               let problem = PayloadShape.standard.problemApplying(parsed, of: entity, optional: Set(table.defaults.keys)) {
                throw Unusable(reason: problem)
            }
            return FeedPageTable.boundValues(of: parsed)
        }
    }
}
