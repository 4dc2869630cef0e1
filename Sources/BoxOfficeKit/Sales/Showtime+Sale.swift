import Foundation
import GRDB

extension Showtime {
    /// The showtime with this id, for a sale, or ``SaleError/showtimeNotFound(_:)``.
    static func forSale(_ db: Database, id: String) throws -> Showtime {
        guard let showtime = try fetch(db, id: id) else { throw SaleError.showtimeNotFound(id) }
        return showtime
    }

    /// Throws unless the showtime can still be booked at `now` and is on sale: not waiting for its
    /// price, nor for its studio's layout.
    func checkBookable(at now: Date, in db: Database) throws {
        guard status == .scheduled else { throw SaleError.showtimeCancelled(id) }
        guard startsAt > now else { throw SaleError.showtimeStarted(id) }
        let seats = try Int.fetchOne(db.cachedStatement(sql: "SELECT seat_count FROM studios WHERE id = ?"), arguments: [studioID])
        guard seats ?? 0 > 0 else { throw SaleError.layoutNeeded(studio: studioName) }
        guard !priceNeeded else { throw SaleError.priceNeeded(id) }
    }
}
