import Foundation
import GRDB

extension Showtime {
    /// The showtime with this id, for a sale, or ``SaleError/showtimeNotFound(_:)``.
    static func forSale(_ db: Database, id: String) throws -> Showtime {
        guard let showtime = try fetch(db, id: id) else { throw SaleError.showtimeNotFound(id) }
        return showtime
    }

    /// Throws unless the showtime can still be booked at `now`.
    func checkBookable(at now: Date) throws(SaleError) {
        guard status == .scheduled else { throw SaleError.showtimeCancelled(id) }
        guard startsAt > now else { throw SaleError.showtimeStarted(id) }
    }
}
