import Foundation

/// Realistic sample data for trying the box office: three Indonesian cinemas with studios, six
/// movies, a week of showtimes from today, a manager and a cashier account.
///
/// `boxoffice demo` and `make demo` use it; tests use it to get a populated store in one line.
///
/// ```swift
/// let box = try BoxOffice.open(path: "demo.sqlite")
/// let summary = try await DemoData.seed(box)
/// print(summary.cinemas.map(\.name))   // ["Cinema Braga", "Cinema Kuta", "Cinema Senayan"]
/// ```
///
/// - warning: The demo manager's password is public (``managerPassword``): never seed a store that
///   real staff use.
public enum DemoData {
    /// The demo manager's email.
    public static let managerEmail = "manager@demo.example"
    /// The demo manager's password: demo only, printed by `boxoffice demo`.
    public static let managerPassword = "demo-pass-123"
    /// The demo cashier's email; the password is ``cashierPassword``.
    public static let cashierEmail = "cashier@demo.example"
    /// The demo cashier's password: demo only, printed by `boxoffice demo`.
    public static let cashierPassword = "demo-pass-123"
    /// How many days of showtimes the demo schedules, from today.
    public static let days = 7

    /// What ``seed(_:)`` made.
    public struct Summary: Sendable {
        /// The cinemas, by name.
        public var cinemas: [Cinema]
        /// How many studios, movies and showtimes it added.
        public var studioCount: Int, movieCount: Int, showtimeCount: Int
        /// The manager it created; log in with ``DemoData/managerEmail`` and ``DemoData/managerPassword``.
        public var manager: User
        /// The cashier it created; log in with ``DemoData/cashierEmail`` and ``DemoData/cashierPassword``.
        public var cashier: User
    }

    /// Fills an empty store with the sample data, as the demo manager.
    ///
    /// ```swift
    /// let summary = try await DemoData.seed(try BoxOffice.inMemory())
    /// ```
    ///
    /// - Parameter box: A new store without a manager.
    /// - Returns: What was added.
    /// - Throws: ``AccountError/alreadyInitialised`` when the store has a manager already; the
    ///   catalog's errors otherwise (none for an empty store).
    public static func seed(_ box: BoxOffice) async throws -> Summary {
        let manager = try await box.accounts.createFirstManager(
            name: "Demo Manager", email: managerEmail, password: managerPassword)
        let principal = try await box.accounts.login(email: managerEmail, password: managerPassword).principal
        let cashier = try await box.accounts.addStaff(
            name: "Demo Cashier", email: cashierEmail, role: .cashier, password: cashierPassword, by: principal)
        let catalog = box.catalog

        var movies: [Movie] = []
        for sample in sampleMovies {
            var draft = MovieDraft(title: sample.title, durationMinutes: sample.minutes)
            draft.description = sample.synopsis
            draft.genre = sample.genre
            draft.rating = sample.rating
            draft.director = sample.director
            draft.cast = sample.cast
            draft.releaseDate = sample.released
            draft.posterURL = "https://posters.demo.example/\(sample.slug).jpg"
            movies.append(try await catalog.addMovie(draft, by: principal))
        }

        var cinemas: [Cinema] = []
        var studioCount = 0, showtimeCount = 0
        for (cinemaIndex, sample) in sampleCinemas.enumerated() {
            let cinema = try await catalog.addCinema(
                CinemaDraft(name: sample.name, city: sample.city, address: sample.address, timeZone: sample.zone),
                by: principal)
            cinemas.append(cinema)
            var studios: [Studio] = []
            for (name, layout) in sample.studios {
                studios.append(try await catalog.addStudio(cinemaID: cinema.id, name: name, layout: layout, by: principal))
            }
            studioCount += studios.count
            let drafts = schedule(
                cinema: cinema, studios: studios, movies: movies, offset: cinemaIndex,
                now: box.now, cleaning: box.configuration.cleaningBuffer)
            showtimeCount += try await catalog.addShowtimes(drafts, allowingPast: true, by: principal).count
        }
        return Summary(
            cinemas: cinemas.sorted { $0.name < $1.name }, studioCount: studioCount, movieCount: movies.count,
            showtimeCount: showtimeCount, manager: manager, cashier: cashier)
    }

    /// A week of non-overlapping showtimes for every studio: from 10:00, each next show on the next
    /// quarter hour after the previous one's cleaning, the last starting by 21:45.
    static func schedule(
        cinema: Cinema, studios: [Studio], movies: [Movie], offset: Int, now: Date, cleaning: Duration
    ) -> [ShowtimeDraft] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = cinema.zone
        let today = calendar.startOfDay(for: now)
        var drafts: [ShowtimeDraft] = []
        for day in 0..<days {
            guard let date = calendar.date(byAdding: .day, value: day, to: today) else { continue }
            let localDate = LocalDateTime(date.addingTimeInterval(12 * 3600), timeZone: cinema.zone).date
            let weekday = calendar.component(.weekday, from: date)
            let weekend = weekday == 1 || weekday == 6 || weekday == 7
            for (studioIndex, studio) in studios.enumerated() {
                let premiere = studio.name == "Premiere"
                var minute = 10 * 60 + 30 * (studioIndex % 3)
                var slot = 0
                while minute <= 21 * 60 + 45 {
                    let movie = movies[(offset + studioIndex * 2 + day + slot) % movies.count]
                    let base: Money = premiere ? 100_000 : (weekend ? 55_000 : 45_000)
                    drafts.append(ShowtimeDraft(
                        cinemaID: cinema.id, studioID: studio.id, movieID: movie.id, date: localDate,
                        time: String(format: "%02d:%02d", minute / 60, minute % 60), basePrice: base,
                        priceModifiers: premiere ? [:] : [.vip: 25_000, .couple: 40_000]))
                    let busy = movie.durationMinutes + Int(cleaning.timeInterval / 60)
                    minute = ((minute + busy + 14) / 15) * 15
                    slot += 1
                }
            }
        }
        return drafts
    }

    struct SampleCinema {
        var name, city, address, zone: String
        var studios: [(String, String)]
    }

    static let sampleCinemas: [SampleCinema] = [
        SampleCinema(
            name: "Cinema Senayan", city: "Jakarta", address: "Jl. Asia Afrika No. 8, Gelora, Jakarta Pusat",
            zone: "Asia/Jakarta",
            studios: [
                ("Studio 1", "rows A-J; seats 1-20; aisles after 4,16; vip E-F; couple J; wheelchair A1-A2"),
                ("Studio 2", "rows A-H; seats 1-16; aisles after 8; couple H; wheelchair A1-A2"),
                ("Premiere", "rows A-D; seats 1-8; aisles after 4; vip A-D"),
            ]),
        SampleCinema(
            name: "Cinema Braga", city: "Bandung", address: "Jl. Braga No. 10, Sumur Bandung",
            zone: "Asia/Jakarta",
            studios: [
                ("Studio 1", "rows A-J; seats 1-20; aisles after 4,16; vip F-G; couple J; wheelchair A1-A2"),
                ("Studio 2", "rows A-G; seats 1-14; aisles after 7; wheelchair A1-A2"),
            ]),
        SampleCinema(
            name: "Cinema Kuta", city: "Badung, Bali", address: "Jl. Pantai Kuta No. 1, Kuta",
            zone: "Asia/Makassar",
            studios: [
                ("Studio 1", "rows A-H; seats 1-18; aisles after 3,15; vip D-E; couple H; wheelchair A1, A18"),
            ]),
    ]

    struct SampleMovie {
        var title, slug, genre, rating, director, released, synopsis: String
        var minutes: Int
        var cast: [String]
    }

    static let sampleMovies: [SampleMovie] = [
        SampleMovie(
            title: "Langit Jingga di Braga", slug: "langit-jingga", genre: "Drama", rating: "13+",
            director: "Rina Hartono", released: "2026-10-30",
            synopsis: "Two old friends reopen a shuttered bookshop on Jalan Braga.", minutes: 118,
            cast: ["Dewi Lestari Putri", "Arief Nugroho", "Sari Wulandari"]),
        SampleMovie(
            title: "Pintu Terlarang 2", slug: "pintu-terlarang-2", genre: "Horror", rating: "17+",
            director: "Bayu Pratama", released: "2026-11-06",
            synopsis: "The house in Kotagede has one more door nobody should open.", minutes: 104,
            cast: ["Maya Anggraini", "Dimas Saputra"]),
        SampleMovie(
            title: "Ekspedisi Krakatau", slug: "ekspedisi-krakatau", genre: "Adventure", rating: "13+",
            director: "Hendra Wijaya", released: "2026-11-13",
            synopsis: "A volcanologist and her crew race the mountain in the Sunda Strait.", minutes: 131,
            cast: ["Laras Setiawati", "Yusuf Ramadhan", "Kevin Halim"]),
        SampleMovie(
            title: "Si Kancil dan Kawan-kawan", slug: "si-kancil", genre: "Animation", rating: "SU",
            director: "Putu Adnyana", released: "2026-11-20",
            synopsis: "The clever mouse-deer outwits the crocodiles once again.", minutes: 88,
            cast: ["Nadia Kusuma", "Rizky Firmansyah"]),
        SampleMovie(
            title: "Operasi Senja", slug: "operasi-senja", genre: "Action", rating: "17+",
            director: "Agus Salim", released: "2026-11-20",
            synopsis: "One night, one harbour in Makassar, and a shipment that must not land.", minutes: 126,
            cast: ["Reza Mahendra", "Intan Permata", "Joko Susilo"]),
        SampleMovie(
            title: "Warung Kopi Reuni", slug: "warung-kopi-reuni", genre: "Comedy", rating: "13+",
            director: "Fajar Nugraha", released: "2026-09-25",
            synopsis: "Twenty years on, four schoolmates try to save their favourite coffee stall.", minutes: 97,
            cast: ["Eko Prasetyo", "Tika Amalia", "Gilang Ramadhan", "Wulan Sari"]),
    ]
}
