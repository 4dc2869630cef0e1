// A small counter program on BoxOfficeKit: the README's "Embedding the kit" snippet is the part
// between the `README:` markers, and the tests build and run this program and compare the two.
//
//     swift run counter-example [STORE]      (default ./counter.sqlite; seeded with the demo's data)
import BoxOfficeKit
import Foundation

let path = CommandLine.arguments.dropFirst().first ?? "counter.sqlite"
let box = try BoxOffice.open(path: path)
if try await box.catalog.cinemas().total == 0 {
    _ = try await DemoData.seed(box)  // three cinemas, a week of showtimes, the demo-only accounts
}

// README: embedding
let cashier = try await box.accounts.login(email: "cashier@demo.example", password: "demo-pass-123").principal
let cinema = try await box.catalog.findCinema("Braga")
let tomorrow = LocalDateTime(Date().addingTimeInterval(86_400), timeZone: cinema.zone).date
let showtime = try await box.catalog.findShowtime("10:00/1", cinema: cinema.id, on: tomorrow)
let map = try await box.sales.seatMap(showtime: showtime.id)
print("\(map.seats.filter { $0.state == .free }.count) seats free for \(showtime.movieTitle) at \(showtime.handle)")
let booking = try await box.sales.sell(showtime: showtime.id, seats: ["F12", "F13"], method: "cash", by: cashier)
print(try await box.sales.receipt(code: booking.code, by: cashier).text)
// README: end
