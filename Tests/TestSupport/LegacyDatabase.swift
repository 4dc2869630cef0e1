import CCrypt
import Foundation
import SyncAgent

/// A database of the old Go system in the test PostgreSQL, built as `legacy/SCHEMA.md` describes
/// the real one — its tables, columns, defaults, keys, constraint and sequence names, and quirks
/// (`seats.cinema_id` and `showtimes.cinema_id` name studios, a global `is_available`, card data
/// in plain text, a booking sequence behind its table) — with a small chain that exercises every
/// rule of the import.
///
/// The chain (old ids in brackets):
/// - cinemas Grand Indonesia XXI [1] and PIM 3 XXI [2]; studios Studio 1 [1] (A1–B3) and Studio 2 [2]
///   (A1–B4, plus a soft-deleted C1 [21]) of cinema 1 — studio 2's id is also cinema 2's —, and of
///   cinema 2 Studio 1 [3] without seats and Studio 2 [4] with a gappy grid (A1, A2, A4, B1) and a
///   second A1 [22];
/// - movies [1] and [2] with director and cast JSON, [3] soft-deleted with no cast;
/// - showtimes: [1] studio 1 ten days ago at a whole minute, [2] studio 2 nine days ago with
///   seconds, [3] studio 3 (no seats) in three days, [4] studio 4 in three days at 42500.50,
///   [5] studio 1 in three days, [6] of movie 3 in studio 2 soft-deleted, [7] studio 1 overlapping [5];
/// - accounts: dewi [17] verified, budi [26] unverified with a phone ending in a newline, Dewi [31]
///   whose email differs from dewi's only by case, rina [33] soft-deleted; six dead sessions;
/// - methods Credit Card [1], Gopay [2], Virtual Account [3], Dana [4] soft-deleted;
/// - bookings: [65] and [67] paid with card data by dewi (showtime 1, A3 and B1), [70] budi's paid
///   second booking of A3 (the duplicate), [71] a paid walk-in (showtime 2), [72] pending of a past
///   showtime, [73] Dewi's paid A1 of showtime 5, [74] dewi's pending A2 of showtime 5, [75] rina's
///   paid B2, [76] paid in the 42500.50 showtime, [77] soft-deleted, [78] budi's pending A1 of
///   showtime 5 after [73]; the booking sequence stands at 66.
public struct LegacyDatabase: Sendable {
    /// The old database's URL (no password: the test server trusts local connections).
    public let url: String
    /// The old passwords, by old user id, of the accounts with real bcrypt hashes.
    public static let passwords: [Int64: String] = [17: "rahasia-dewi-17", 26: "rahasia-budi-26", 31: "rahasia-dewi-31"]
    /// The card data in the old bookings, which must never reach a store, head office or a report.
    public static let cardData = ["4000056655665556", "5555555555554444", "4111111111111111", "\"739\"", "\"418\"",
                                  "09/31", "11/30", "CardNumber", "ExpiryDate", "CVV"]
    /// The emails, for tests that log in.
    public static let emails: [Int64: String] = [17: "dewi@gmail.com", 26: "budi@yahoo.com", 31: "Dewi@Gmail.com",
                                                 33: "rina@gmail.com"]

    /// The bcrypt `$2a$14$` hashes of ``passwords``, made once per test process (cost 14 takes about
    /// a second each).
    public static let hashes: [Int64: String] = passwords.mapValues { bcrypt($0, cost: 14) }

    /// Builds a fresh old database on the test server.
    public init() throws {
        url = try TestPostgres.makeDatabase()
        let connection = try PostgresConnection(url: url)
        try connection.execute(Self.schema)
        try connection.execute(try Self.data())
    }

    /// Runs SQL on the old database (to break it, or add rows).
    public func execute(_ sql: String) throws {
        try PostgresConnection(url: url).execute(sql)
    }

    /// A wall-clock time in Asia/Jakarta, as the old database holds its timestamps, `days` from now
    /// at `time` (`HH:MM:SS`, fractions allowed).
    public static func jakarta(days: Int, at time: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Jakarta")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400)) + " " + time
    }

    /// A bcrypt hash as the old system made them (variant 2a), by libxcrypt.
    public static func bcrypt(_ password: String, cost: Int) -> String {
        guard let setting = crypt_gensalt_ra("$2a$", UInt(cost), nil, 0) else { fatalError("no bcrypt salt") }
        defer { free(setting) }
        var data: UnsafeMutableRawPointer?
        var size: Int32 = 0
        defer { if let data { free(data) } }
        guard let hashed = crypt_ra(password, setting, &data, &size) else { fatalError("bcrypt failed") }
        return String(cString: hashed)
    }

    static let schema = """
        CREATE SEQUENCE public.users_user_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
        CREATE TABLE public.users (
            id integer NOT NULL DEFAULT nextval('public.users_user_id_seq'::regclass),
            username character varying(100) NOT NULL,
            email text NOT NULL,
            password_hash character varying(255) NOT NULL,
            phone_number character varying(20),
            created_at timestamp without time zone,
            updated_at timestamp without time zone,
            deleted_at timestamp without time zone,
            is_verified boolean DEFAULT false,
            CONSTRAINT users_pkey PRIMARY KEY (id),
            CONSTRAINT users_email_key UNIQUE (email));
        ALTER SEQUENCE public.users_user_id_seq OWNED BY public.users.id;
        CREATE INDEX idx_users_deleted_at ON public.users USING btree (deleted_at);

        CREATE SEQUENCE public.cinemas_cinema_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
        CREATE TABLE public.cinemas (
            id integer NOT NULL DEFAULT nextval('public.cinemas_cinema_id_seq'::regclass),
            name character varying(255),
            location text,
            created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
            updated_at timestamp without time zone,
            deleted_at timestamp without time zone,
            CONSTRAINT cinemas_pkey PRIMARY KEY (id));
        ALTER SEQUENCE public.cinemas_cinema_id_seq OWNED BY public.cinemas.id;

        CREATE SEQUENCE public.movies_movies_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
        CREATE TABLE public.movies (
            id integer NOT NULL DEFAULT nextval('public.movies_movies_id_seq'::regclass),
            title character varying(255),
            description text,
            duration integer,
            release_date date,
            genre character varying(100),
            rating double precision,
            poster_url text,
            director_info jsonb,
            cast_info jsonb,
            created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
            updated_at timestamp without time zone,
            deleted_at timestamp without time zone,
            CONSTRAINT movies_pkey PRIMARY KEY (id));
        ALTER SEQUENCE public.movies_movies_id_seq OWNED BY public.movies.id;

        CREATE SEQUENCE public.payment_methods_payment_method_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
        CREATE TABLE public.payment_methods (
            id integer NOT NULL DEFAULT nextval('public.payment_methods_payment_method_id_seq'::regclass),
            name character varying(50),
            logo_url text,
            created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
            updated_at timestamp without time zone,
            deleted_at timestamp without time zone,
            CONSTRAINT payment_methods_pkey PRIMARY KEY (id));
        ALTER SEQUENCE public.payment_methods_payment_method_id_seq OWNED BY public.payment_methods.id;

        CREATE SEQUENCE public.studios_studio_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
        CREATE TABLE public.studios (
            id integer NOT NULL DEFAULT nextval('public.studios_studio_id_seq'::regclass),
            cinema_id integer,
            name character varying(100),
            created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
            updated_at timestamp without time zone,
            deleted_at timestamp without time zone,
            CONSTRAINT studios_pkey PRIMARY KEY (id),
            CONSTRAINT studios_cinema_id_fkey FOREIGN KEY (cinema_id) REFERENCES public.cinemas(id));
        ALTER SEQUENCE public.studios_studio_id_seq OWNED BY public.studios.id;

        CREATE SEQUENCE public.seats_seat_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
        CREATE TABLE public.seats (
            id integer NOT NULL DEFAULT nextval('public.seats_seat_id_seq'::regclass),
            cinema_id integer,
            seat_number character varying(10),
            is_available boolean DEFAULT true,
            created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
            updated_at timestamp without time zone,
            deleted_at timestamp without time zone,
            CONSTRAINT seats_pkey PRIMARY KEY (id),
            CONSTRAINT seats_studio_id_fkey FOREIGN KEY (cinema_id) REFERENCES public.studios(id));
        ALTER SEQUENCE public.seats_seat_id_seq OWNED BY public.seats.id;

        CREATE SEQUENCE public.showtimes_showtime_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
        CREATE TABLE public.showtimes (
            id integer NOT NULL DEFAULT nextval('public.showtimes_showtime_id_seq'::regclass),
            movie_id integer,
            cinema_id integer,
            start_time timestamp without time zone,
            end_time timestamp without time zone,
            price numeric(10,2),
            created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
            updated_at timestamp without time zone,
            deleted_at timestamp without time zone,
            CONSTRAINT showtimes_pkey PRIMARY KEY (id),
            CONSTRAINT showtimes_movie_id_fkey FOREIGN KEY (movie_id) REFERENCES public.movies(id),
            CONSTRAINT showtimes_studio_id_fkey FOREIGN KEY (cinema_id) REFERENCES public.studios(id));
        ALTER SEQUENCE public.showtimes_showtime_id_seq OWNED BY public.showtimes.id;

        CREATE TABLE public.sessions (
            id uuid NOT NULL DEFAULT gen_random_uuid(),
            user_id integer,
            expired_at timestamp without time zone,
            revoked_at timestamp without time zone,
            last_active timestamp without time zone,
            created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
            CONSTRAINT sessions_pkey PRIMARY KEY (id),
            CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id));

        CREATE SEQUENCE public.booking_seat_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
        CREATE TABLE public.booking_seats (
            id integer NOT NULL DEFAULT nextval('public.booking_seat_id_seq'::regclass),
            user_id integer,
            showtime_id integer,
            seat_id integer,
            payment_method_id integer,
            created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
            updated_at timestamp without time zone,
            deleted_at timestamp without time zone,
            payment_details jsonb,
            status character varying(20),
            CONSTRAINT booking_seat_pkey PRIMARY KEY (id),
            CONSTRAINT unique_seat_booking UNIQUE (showtime_id, seat_id, deleted_at),
            CONSTRAINT booking_seats_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE SET NULL,
            CONSTRAINT booking_seats_showtime_id_fkey FOREIGN KEY (showtime_id) REFERENCES public.showtimes(id),
            CONSTRAINT booking_seats_seat_id_fkey FOREIGN KEY (seat_id) REFERENCES public.seats(id),
            CONSTRAINT booking_seats_payment_method_id_fkey FOREIGN KEY (payment_method_id) REFERENCES public.payment_methods(id));
        ALTER SEQUENCE public.booking_seat_id_seq OWNED BY public.booking_seats.id;
        """

    static func data() throws -> String {
        func q(_ text: String?) -> String {
            guard let text else { return "NULL" }
            return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
        let past1 = jakarta(days: -10, at: "17:38:00"), past2 = jakarta(days: -9, at: "17:38:31.683841")
        let soon = jakarta(days: 3, at: "19:30:00"), soonLater = jakarta(days: 3, at: "20:00:00")
        let registered = jakarta(days: -40, at: "09:12:44.120000"), verified = jakarta(days: -40, at: "09:20:03.500000")
        let booked = jakarta(days: -11, at: "16:35:05.101000"), paid = jakarta(days: -11, at: "16:55:42.870000")
        let hashes = Self.hashes
        let card1 = #"{"CardNumber": "4000056655665556", "CVV": "739", "ExpiryDate": "09/31"}"#
        let card2 = #"{"CardNumber": "5555555555554444", "CVV": "418", "ExpiryDate": "11/30"}"#
        let card3 = #"{"CardNumber": "4111111111111111", "CVV": "739", "ExpiryDate": "11/30"}"#
        return """
            INSERT INTO public.cinemas (id, name, location, created_at, updated_at) VALUES
                (1, 'Grand Indonesia XXI', 'Jl. M.H. Thamrin No.1, Menteng, Jakarta Pusat', \(q(registered)), \(q(registered))),
                (2, 'PIM 3 XXI', 'Pondok Indah Mall 3', \(q(registered)), NULL);
            INSERT INTO public.studios (id, cinema_id, name, created_at) VALUES
                (1, 1, 'Studio 1', \(q(registered))), (2, 1, 'Studio 2', \(q(registered))),
                (3, 2, 'Studio 1', \(q(registered))), (4, 2, 'Studio 2', \(q(registered)));
            -- Listed out of id order, as in the dump; A3 and B1 are flagged unavailable (their paid
            -- bookings), A1 is available although it is sold: the flag is global and says nothing.
            INSERT INTO public.seats (id, cinema_id, seat_number, is_available, created_at, updated_at, deleted_at) VALUES
                (4, 1, 'B1', false, \(q(registered)), \(q(paid)), NULL), (1, 1, 'A1', true, \(q(registered)), \(q(paid)), NULL),
                (2, 1, 'A2', true, \(q(registered)), \(q(paid)), NULL), (3, 1, 'A3', false, \(q(registered)), \(q(paid)), NULL),
                (5, 1, 'B2', true, \(q(registered)), NULL, NULL), (6, 1, 'B3', true, \(q(registered)), \(q(paid)), NULL),
                (7, 2, 'A1', false, \(q(registered)), NULL, NULL), (8, 2, 'A2', true, \(q(registered)), NULL, NULL),
                (9, 2, 'A3', true, \(q(registered)), NULL, NULL), (10, 2, 'A4', true, \(q(registered)), NULL, NULL),
                (11, 2, 'B1', true, \(q(registered)), NULL, NULL), (12, 2, 'B2', true, \(q(registered)), NULL, NULL),
                (13, 2, 'B3', true, \(q(registered)), NULL, NULL), (14, 2, 'B4', true, \(q(registered)), NULL, NULL),
                (15, 4, 'A1', true, \(q(registered)), NULL, NULL), (16, 4, 'A2', true, \(q(registered)), NULL, NULL),
                (17, 4, 'A4', true, \(q(registered)), NULL, NULL), (18, 4, 'B1', true, \(q(registered)), NULL, NULL),
                (21, 2, 'C1', true, \(q(registered)), NULL, \(q(paid))), (22, 4, 'A1', true, \(q(registered)), NULL, NULL);
            INSERT INTO public.movies (id, title, description, duration, release_date, genre, rating, poster_url, director_info,
                                       cast_info, created_at, deleted_at) VALUES
                (1, 'Avengers: Infinity War', 'The Avengers must stop Thanos before he collects every Infinity Stone.', 149,
                 '2018-04-27', 'Action', 8.4, 'https://example.com/posters/1.jpg',
                 '{"name": "Anthony Russo", "photo_url": "https://example.com/people/1.jpg"}',
                 '[{"name": "Robert Downey Jr.", "role": "Tony Stark", "photo_url": "https://example.com/people/2.jpg"},
                   {"name": "Chris Hemsworth", "role": "Thor", "photo_url": "https://example.com/people/3.jpg"}]',
                 \(q(registered)), NULL),
                (2, 'Inception', 'A thief who steals secrets through dreams is given one last job.', 148, '2010-07-16', 'Sci-Fi', 8.8,
                 'https://example.com/posters/2.jpg', '{"name": "Christopher Nolan", "photo_url": "https://example.com/people/4.jpg"}',
                 '[{"name": "Leonardo DiCaprio", "role": "Cobb", "photo_url": "https://example.com/people/5.jpg"}]', \(q(registered)), NULL),
                (3, 'Laskar Pelangi', 'Ten children of Belitung and their school.', 125, '2008-09-25', 'Drama', 8.0, NULL,
                 '{"name": "Riri Riza", "photo_url": null}', '[]', \(q(registered)), \(q(verified)));
            INSERT INTO public.showtimes (id, movie_id, cinema_id, start_time, end_time, price, created_at, deleted_at) VALUES
                (1, 1, 1, \(q(past1)), \(q(jakarta(days: -10, at: "20:08:12.512000"))), 50000.00, \(q(registered)), NULL),
                (2, 2, 2, \(q(past2)), \(q(jakarta(days: -9, at: "19:38:31.683841"))), 45000.00, \(q(registered)), NULL),
                (3, 1, 3, \(q(soon)), \(q(jakarta(days: 3, at: "22:00:00"))), 50000.00, \(q(registered)), NULL),
                (4, 2, 4, \(q(soon)), \(q(jakarta(days: 3, at: "21:30:00"))), 42500.50, \(q(registered)), NULL),
                (5, 1, 1, \(q(soon)), \(q(jakarta(days: 3, at: "22:00:00"))), 55000.00, \(q(registered)), NULL),
                (6, 3, 2, \(q(jakarta(days: -20, at: "13:00:00"))), NULL, 40000.00, \(q(registered)), \(q(verified))),
                (7, 2, 1, \(q(soonLater)), \(q(jakarta(days: 3, at: "22:30:00"))), 55000.00, \(q(registered)), NULL);
            INSERT INTO public.users (id, username, email, password_hash, phone_number, created_at, updated_at, deleted_at, is_verified) VALUES
                (17, 'dewi', 'dewi@gmail.com', \(q(hashes[17])), '081234567890', \(q(registered)), \(q(verified)), NULL, true),
                (26, ' budi ', 'budi@yahoo.com', \(q(hashes[26])), E'08567891234\\n', \(q(registered)), \(q(registered)), NULL, false),
                (31, 'Dewi', 'Dewi@Gmail.com', \(q(hashes[31])), '081298765432', \(q(verified)), \(q(verified)), NULL, true),
                (33, 'rina', 'rina@gmail.com', \(q(bcrypt("rahasia-rina", cost: 4))), '081311112222', \(q(registered)),
                 \(q(verified)), \(q(verified)), true);
            INSERT INTO public.sessions (user_id, expired_at, revoked_at, last_active, created_at) VALUES
                (26, \(q(jakarta(days: -39, at: "09:20:00"))), \(q(jakarta(days: -40, at: "10:00:00"))), \(q(registered)), \(q(registered))),
                (26, \(q(jakarta(days: -38, at: "09:20:00"))), \(q(jakarta(days: -39, at: "10:00:00"))), \(q(registered)), \(q(registered))),
                (26, \(q(jakarta(days: -37, at: "09:20:00"))), \(q(jakarta(days: -38, at: "10:00:00"))), \(q(registered)), \(q(registered))),
                (17, \(q(jakarta(days: -10, at: "16:55:42"))), NULL, \(q(paid)), \(q(booked))),
                (17, \(q(jakarta(days: -9, at: "16:55:42"))), NULL, \(q(paid)), \(q(booked))),
                (17, \(q(jakarta(days: -8, at: "16:55:42"))), NULL, \(q(paid)), \(q(booked)));
            INSERT INTO public.payment_methods (id, name, logo_url, created_at, deleted_at) VALUES
                (1, 'Credit Card', 'https://example.com/logos/cc.png', \(q(registered)), NULL),
                (2, 'Gopay', 'https://example.com/logos/gopay.png', \(q(registered)), NULL),
                (3, 'Virtual Account', 'https://example.com/logos/va.png', \(q(registered)), NULL),
                (4, 'Dana', 'https://example.com/logos/dana.png', \(q(registered)), \(q(verified)));
            INSERT INTO public.booking_seats (id, user_id, showtime_id, seat_id, payment_method_id, created_at, updated_at,
                                              deleted_at, payment_details, status) VALUES
                (65, 17, 1, 3, 2, \(q(booked)), \(q(paid)), NULL, \(q(card1)), 'PAID'),
                (67, 17, 1, 4, 2, \(q(jakarta(days: -11, at: "16:35:05.110000"))), \(q(paid)), NULL, \(q(card1)), 'PAID'),
                (70, 26, 1, 3, 2, \(q(jakarta(days: -11, at: "17:02:00.000000"))), \(q(jakarta(days: -11, at: "17:05:00"))), NULL,
                 \(q(card2)), 'PAID'),
                (71, NULL, 2, 7, 1, \(q(jakarta(days: -10, at: "12:00:00"))), \(q(jakarta(days: -10, at: "12:01:00"))), NULL,
                 \(q(card3)), 'PAID'),
                (72, 26, 2, 8, 2, \(q(jakarta(days: -10, at: "12:30:00"))), NULL, NULL, NULL, 'PENDING'),
                (73, 31, 5, 1, 3, \(q(jakarta(days: -1, at: "08:00:00"))), \(q(jakarta(days: -1, at: "08:10:00"))), NULL,
                 \(q(card2)), 'PAID'),
                (74, 17, 5, 2, 2, \(q(jakarta(days: -1, at: "08:30:00"))), NULL, NULL, NULL, 'PENDING'),
                (75, 33, 5, 5, 2, \(q(jakarta(days: -1, at: "09:00:00"))), \(q(jakarta(days: -1, at: "09:05:00"))), NULL,
                 \(q(card1)), 'PAID'),
                (76, 17, 4, 15, 2, \(q(jakarta(days: -1, at: "09:30:00"))), \(q(jakarta(days: -1, at: "09:35:00"))), NULL,
                 \(q(card3)), 'PAID'),
                (77, 17, 5, 6, 2, \(q(jakarta(days: -1, at: "10:00:00"))), NULL, \(q(jakarta(days: -1, at: "10:05:00"))), NULL,
                 'PENDING'),
                (78, 26, 5, 1, 2, \(q(jakarta(days: -1, at: "11:00:00"))), NULL, NULL, NULL, 'PENDING');
            SELECT setval('public.users_user_id_seq', 33), setval('public.cinemas_cinema_id_seq', 2),
                   setval('public.movies_movies_id_seq', 3), setval('public.payment_methods_payment_method_id_seq', 4),
                   setval('public.studios_studio_id_seq', 4), setval('public.seats_seat_id_seq', 22),
                   setval('public.showtimes_showtime_id_seq', 7),
                   -- Behind its table, as in the real dump: the next booking would collide.
                   setval('public.booking_seat_id_seq', 66);
            """
    }
}
