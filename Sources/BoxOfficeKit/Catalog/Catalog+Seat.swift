import Foundation
import GRDB

extension Catalog {
    /// The seat with this id, with its studio; `nil` when there is none.
    ///
    /// ```swift
    /// if let seat = try await box.catalog.seat(id: seatID) { print(seat.label, seat.studioID) }
    /// ```
    public func seat(id: String) async throws -> Seat? {
        try await box.read { db in try Seat.fetchOne(db, key: id) }
    }
}
