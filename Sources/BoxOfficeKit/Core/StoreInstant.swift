import Foundation
import GRDB

extension Date {
    /// The instant as the store writes it and as the change log carries it: GRDB's text form of a
    /// `Date`, UTC (`2026-12-01 09:30:00.000`), the `instant` of `schemas/payloads.csv`.
    var storeText: String {
        String.fromDatabaseValue(databaseValue) ?? ""
    }
}
