/// The rows of the old system's PostgreSQL database (the Go backend BoxOfficeKit replaces), as read,
/// before anything is made of them.
///
/// Every value is as the old database holds it: text untrimmed, timestamps as PostgreSQL prints a
/// `timestamp without time zone` (`2026-01-14 17:38:00.000000`, a wall-clock time in no stated
/// zone), prices as `numeric` text (`50000.00`), JSON columns as text. The reader
/// (`LegacySource` in SyncAgent) never reads card data: a booking only says whether it carried any.
///
/// ```swift
/// let plan = try LegacyImportPlan(snapshot, mapping: LegacyIDMap(), options: LegacyImportOptions())
/// ```
public struct LegacySnapshot: Sendable, Hashable {
    /// `users`: customer accounts.
    public var users: [User] = []
    /// How many rows `sessions` holds; sessions are never imported.
    public var sessionCount = 0
    /// `cinemas`.
    public var cinemas: [Cinema] = []
    /// `studios`.
    public var studios: [Studio] = []
    /// `seats` (their `cinema_id` column names a studio).
    public var seats: [Seat] = []
    /// `movies`.
    public var movies: [Movie] = []
    /// `showtimes` (their `cinema_id` column names a studio).
    public var showtimes: [Showtime] = []
    /// `payment_methods`.
    public var paymentMethods: [PaymentMethod] = []
    /// `booking_seats` (`booking_seat` in older copies): one booked seat of one showtime each.
    public var bookings: [BookingSeat] = []

    /// An empty snapshot; fill its tables.
    public init() {}

    /// A row of `users`.
    public struct User: Sendable, Hashable {
        /// `id`.
        public var id: Int64
        /// `username`, the name the customer registered with.
        public var username: String?
        /// `email`, compared exactly by the old system.
        public var email: String?
        /// `password_hash`: bcrypt, `$2a$14$…`.
        public var passwordHash: String?
        /// `phone_number`, free text.
        public var phoneNumber: String?
        /// `created_at`.
        public var createdAt: String?
        /// `updated_at`.
        public var updatedAt: String?
        /// `deleted_at`: set on a soft-deleted account.
        public var deletedAt: String?
        /// `is_verified`.
        public var isVerified: Bool?

        /// Creates a row.
        public init(id: Int64, username: String?, email: String?, passwordHash: String?, phoneNumber: String?,
                    createdAt: String?, updatedAt: String?, deletedAt: String?, isVerified: Bool?) {
            self.id = id
            self.username = username
            self.email = email
            self.passwordHash = passwordHash
            self.phoneNumber = phoneNumber
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.deletedAt = deletedAt
            self.isVerified = isVerified
        }
    }

    /// A row of `cinemas`.
    public struct Cinema: Sendable, Hashable {
        /// `id`.
        public var id: Int64
        /// `name`.
        public var name: String?
        /// `location`: a street address or a mall's name.
        public var location: String?
        /// `created_at`.
        public var createdAt: String?
        /// `updated_at`.
        public var updatedAt: String?
        /// `deleted_at`.
        public var deletedAt: String?

        /// Creates a row.
        public init(id: Int64, name: String?, location: String?, createdAt: String?, updatedAt: String?, deletedAt: String?) {
            self.id = id
            self.name = name
            self.location = location
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.deletedAt = deletedAt
        }
    }

    /// A row of `studios`.
    public struct Studio: Sendable, Hashable {
        /// `id`.
        public var id: Int64
        /// `cinema_id` (this one really is a cinema).
        public var cinemaID: Int64?
        /// `name`; repeats across cinemas.
        public var name: String?
        /// `created_at`.
        public var createdAt: String?
        /// `updated_at`.
        public var updatedAt: String?
        /// `deleted_at`.
        public var deletedAt: String?

        /// Creates a row.
        public init(id: Int64, cinemaID: Int64?, name: String?, createdAt: String?, updatedAt: String?, deletedAt: String?) {
            self.id = id
            self.cinemaID = cinemaID
            self.name = name
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.deletedAt = deletedAt
        }
    }

    /// A row of `seats`. Its global `is_available` flag is not read: availability comes from bookings.
    public struct Seat: Sendable, Hashable {
        /// `id`: what the old API's `seatIds` carry.
        public var id: Int64
        /// The studio: the column `cinema_id` (`studio_id` in older copies), which references `studios`.
        public var studioID: Int64?
        /// `seat_number`: a row letter and a number, `A1`.
        public var seatNumber: String?
        /// `deleted_at`.
        public var deletedAt: String?

        /// Creates a row.
        public init(id: Int64, studioID: Int64?, seatNumber: String?, deletedAt: String?) {
            self.id = id
            self.studioID = studioID
            self.seatNumber = seatNumber
            self.deletedAt = deletedAt
        }
    }

    /// A row of `movies`.
    public struct Movie: Sendable, Hashable {
        /// `id`.
        public var id: Int64
        /// `title`.
        public var title: String?
        /// `description`.
        public var description: String?
        /// `duration`, in minutes.
        public var duration: Int?
        /// `release_date`, `YYYY-MM-DD`.
        public var releaseDate: String?
        /// `genre`.
        public var genre: String?
        /// `rating`: a 0–10 review score.
        public var rating: Double?
        /// `poster_url`.
        public var posterURL: String?
        /// `director_info`: JSON text of an object with `name` and `photo_url`.
        public var directorInfo: String?
        /// `cast_info`: JSON text of an array of objects with `name`, `role` and `photo_url`.
        public var castInfo: String?
        /// `created_at`.
        public var createdAt: String?
        /// `updated_at`.
        public var updatedAt: String?
        /// `deleted_at`.
        public var deletedAt: String?

        /// Creates a row.
        public init(id: Int64, title: String?, description: String?, duration: Int?, releaseDate: String?, genre: String?,
                    rating: Double?, posterURL: String?, directorInfo: String?, castInfo: String?,
                    createdAt: String?, updatedAt: String?, deletedAt: String?) {
            self.id = id
            self.title = title
            self.description = description
            self.duration = duration
            self.releaseDate = releaseDate
            self.genre = genre
            self.rating = rating
            self.posterURL = posterURL
            self.directorInfo = directorInfo
            self.castInfo = castInfo
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.deletedAt = deletedAt
        }
    }

    /// A row of `showtimes`.
    public struct Showtime: Sendable, Hashable {
        /// `id`.
        public var id: Int64
        /// `movie_id`.
        public var movieID: Int64?
        /// The studio: the column `cinema_id` (`studio_id` in older copies), which references `studios`.
        public var studioID: Int64?
        /// `start_time`, a wall-clock time in no stated zone.
        public var startTime: String?
        /// `end_time`; not kept consistent with the film's duration by the old system, and not used.
        public var endTime: String?
        /// `price`, `numeric(10,2)` rupiah as text, e.g. `50000.00`.
        public var price: String?
        /// `created_at`.
        public var createdAt: String?
        /// `updated_at`.
        public var updatedAt: String?
        /// `deleted_at`.
        public var deletedAt: String?

        /// Creates a row.
        public init(id: Int64, movieID: Int64?, studioID: Int64?, startTime: String?, endTime: String?, price: String?,
                    createdAt: String?, updatedAt: String?, deletedAt: String?) {
            self.id = id
            self.movieID = movieID
            self.studioID = studioID
            self.startTime = startTime
            self.endTime = endTime
            self.price = price
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.deletedAt = deletedAt
        }
    }

    /// A row of `payment_methods`.
    public struct PaymentMethod: Sendable, Hashable {
        /// `id`: the old API's `payment_method`.
        public var id: Int64
        /// `name`, e.g. `Gopay`.
        public var name: String?
        /// `created_at`.
        public var createdAt: String?
        /// `updated_at`.
        public var updatedAt: String?
        /// `deleted_at`.
        public var deletedAt: String?

        /// Creates a row.
        public init(id: Int64, name: String?, createdAt: String?, updatedAt: String?, deletedAt: String?) {
            self.id = id
            self.name = name
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.deletedAt = deletedAt
        }
    }

    /// A row of `booking_seats`: one seat of one showtime, with its payment state. Its
    /// `payment_details` (card number, CVV, expiry in plain text) is never read; only whether the
    /// row had any is known, to count the card data the import drops.
    public struct BookingSeat: Sendable, Hashable {
        /// `id`: the old API's `booking_id`.
        public var id: Int64
        /// `user_id`; NULL when the account was deleted.
        public var userID: Int64?
        /// `showtime_id`.
        public var showtimeID: Int64?
        /// `seat_id`.
        public var seatID: Int64?
        /// `payment_method_id`, chosen at booking time.
        public var paymentMethodID: Int64?
        /// `status`: `PENDING` or `PAID`.
        public var status: String?
        /// `created_at`: when it was booked.
        public var createdAt: String?
        /// `updated_at`: when it was paid.
        public var updatedAt: String?
        /// `deleted_at`.
        public var deletedAt: String?
        /// Whether `payment_details` held anything (card data, which is dropped).
        public var hadCardData: Bool

        /// Creates a row.
        public init(id: Int64, userID: Int64?, showtimeID: Int64?, seatID: Int64?, paymentMethodID: Int64?,
                    status: String?, createdAt: String?, updatedAt: String?, deletedAt: String?, hadCardData: Bool) {
            self.id = id
            self.userID = userID
            self.showtimeID = showtimeID
            self.seatID = seatID
            self.paymentMethodID = paymentMethodID
            self.status = status
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.deletedAt = deletedAt
            self.hadCardData = hadCardData
        }
    }
}
