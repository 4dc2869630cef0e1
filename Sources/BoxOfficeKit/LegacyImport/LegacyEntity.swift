/// A kind of row the old system's integer ids are kept for, named after the table the imported row
/// went to.
///
/// ```swift
/// let seatID = try await box.legacyImport.newID(of: .seats, legacyID: 3)   // the old API's seatIds
/// ```
public enum LegacyEntity: String, Sendable, Hashable, Codable, CaseIterable {
    /// Customer accounts (old `users`).
    case users
    /// Cinemas.
    case cinemas
    /// Studios.
    case studios
    /// Seats: the old API's `seatIds`.
    case seats
    /// Movies.
    case movies
    /// Showtimes.
    case showtimes
    /// Payment methods: the old API's `payment_method`.
    case paymentMethods = "payment_methods"
    /// Bookings: one per old `booking_seats` row, the old API's `booking_id`.
    case bookings
    /// Tickets: the one ticket of each imported booking, by the same old `booking_seats` id.
    case tickets
}

/// The new ids of imported rows by their old integer ids, for every ``LegacyEntity``.
///
/// ```swift
/// let mapping = try await box.legacyImport.mapping()
/// if let method = mapping[.paymentMethods, 2] { print(method) }   // the built-in GoPay method's id
/// ```
public struct LegacyIDMap: Sendable, Hashable {
    private var ids: [LegacyEntity: [Int64: String]] = [:]

    /// An empty mapping: nothing was imported yet.
    public init() {}

    /// The new id of the row with old id `legacyID`, or `nil` when it was not imported.
    public subscript(entity: LegacyEntity, legacyID: Int64) -> String? {
        get { ids[entity]?[legacyID] }
        set { ids[entity, default: [:]][legacyID] = newValue }
    }

    /// How many old ids of `entity` the mapping holds.
    public func count(of entity: LegacyEntity) -> Int { ids[entity]?.count ?? 0 }

    /// Whether the mapping holds no id at all.
    public var isEmpty: Bool { ids.values.allSatisfy(\.isEmpty) }
}

/// One entry of the mapping: an old row's integer id and the new row's id.
public struct LegacyID: Sendable, Hashable, Codable {
    /// The kind of row.
    public var entity: LegacyEntity
    /// The id the old system gave the row.
    public var legacyID: Int64
    /// The id of the imported row (a UUIDv7, or a built-in payment method's fixed id).
    public var newID: String

    /// Creates an entry.
    public init(entity: LegacyEntity, legacyID: Int64, newID: String) {
        self.entity = entity
        self.legacyID = legacyID
        self.newID = newID
    }

    enum CodingKeys: String, CodingKey {
        case entity, legacyID = "legacy_id", newID = "new_id"
    }
}
