import BoxOfficeKit
import Foundation
import GRDB

/// A store for the sales commands: one cinema, a 5×10 studio (row A nearest the screen, an aisle
/// after seat 5, row D vip), a showtime tomorrow and one that has started, a manager and a customer
/// who share one password. Catalog rows are written with raw SQL (the catalog API is built elsewhere);
/// logins go through the kit, and the token is written to `<store>.session` as `boxoffice login` would.
struct SalesCLIFixture {
    let cli: CLIRunner
    let cinemaID = EntityID.make()
    let showtimeID = EntityID.make()
    let startedID = EntityID.make()
    /// The showtime's start as local date and time in Asia/Jakarta.
    let localDate: String
    let localTime: String
    static let password = "counter-pass-1"
    static let managerEmail = "manager@example.com"
    static let customerEmail = "customer@example.com"

    init() async throws {
        cli = try CLIRunner()
        let box = try BoxOffice.open(path: cli.storePath)
        _ = try await box.accounts.createFirstManager(name: "Manager", email: Self.managerEmail, password: Self.password)
        let now = Date()
        // A whole minute, so that it can be named by local date and time.
        let start = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 + 86_400) / 60).rounded(.down) * 60)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Jakarta")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        localDate = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        localTime = String(format: "%02d:%02d", parts.hour!, parts.minute!)

        let (cinemaID, showtimeID, startedID) = (cinemaID, showtimeID, startedID)
        let queue = try DatabaseQueue(path: cli.storePath)
        try await queue.write { db in
            let studioID = EntityID.make(), movieID = EntityID.make()
            try db.execute(sql: """
                INSERT INTO cinemas (id, name, city, time_zone, created_at, updated_at, hlc)
                VALUES (?, 'Demo Plaza', 'Jakarta', 'Asia/Jakarta', ?, ?, '');
                INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                VALUES (?, ?, 'Studio 1', 'fixture', 50, ?, ?, '');
                INSERT INTO movies (id, title, duration_minutes, created_at, updated_at, hlc)
                VALUES (?, 'The Long Offline', 120, ?, ?, '');
                """, arguments: [cinemaID, now, now, studioID, cinemaID, now, now, movieID, now, now])
            for (row, rowLabel) in ["A", "B", "C", "D", "E"].enumerated() {
                for number in 1...10 {
                    try db.execute(sql: """
                        INSERT INTO seats (id, studio_id, row_label, number, label, kind, grid_row, grid_column, hlc)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, '')
                        """, arguments: [EntityID.make(), studioID, rowLabel, number, "\(rowLabel)\(number)",
                                         rowLabel == "D" ? "vip" : "regular", row, number - 1 + (number > 5 ? 1 : 0)])
                }
            }
            for (id, begins) in [(showtimeID, start), (startedID, now.addingTimeInterval(-3600))] {
                try db.execute(sql: """
                    INSERT INTO showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, base_price,
                        price_modifiers, created_at, updated_at, hlc)
                    VALUES (?, ?, ?, ?, ?, ?, 50000, '{"vip": 25000}', ?, ?, '')
                    """, arguments: [id, cinemaID, studioID, movieID, begins, begins.addingTimeInterval(8100), now, now])
            }
            // The customer shares the manager's password hash, since hashing is internal to the kit.
            try db.execute(sql: """
                INSERT INTO users (id, name, email, password_hash, role, verified_at, created_at, updated_at, hlc)
                SELECT ?, 'Customer One', ?, password_hash, 'customer', ?, ?, ?, '' FROM users WHERE role = 'manager'
                """, arguments: [EntityID.make(), Self.customerEmail, now, now, now])
        }
        try queue.close()
    }

    /// Logs `email` in through the kit and saves the token where the CLI looks for it.
    func logIn(_ email: String) async throws {
        let box = try BoxOffice.open(path: cli.storePath)
        let session = try await box.accounts.login(email: email, password: Self.password)
        let path = cli.storePath + ".session"
        _ = FileManager.default.createFile(atPath: path, contents: Data((session.token + "\n").utf8),
                                       attributes: [.posixPermissions: 0o600])
    }

    /// Runs raw SQL reads on the store.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: cli.storePath)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// Parses JSON printed by a command.
    static func object(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }
}
