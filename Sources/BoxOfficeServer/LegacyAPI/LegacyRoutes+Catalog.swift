import BoxOfficeKit
import Foundation
import Hummingbird

extension LegacyRoutes {
    /// `GET /api/cinemas?page=N[&limit=M]`: a page of cinemas by name; `limit` is honoured (5 unless given).
    func cinemas(_ request: Request, _ context: ServerContext) async throws -> Response {
        let page = try await box.catalog.cinemas(page: try Self.page(of: request))
        return try Envelope(message: "success get data", data: page.items.map(LegacyCinema.init),
                            pagination: .init(page)).response()
    }

    /// `GET /api/cinemas/{id}`: an old integer id or a kit id; 404 when there is none.
    func cinema(_ request: Request, _ context: ServerContext) async throws -> Response {
        let id = try await resolve(Reference(path: try context.parameters.require("cinema")), .cinemas, "cinema")
        return try Envelope(message: "success get data", data: LegacyCinema(try await box.catalog.cinema(id: id))).response()
    }

    /// `GET /api/cinemas/{id}/seats?date=YYYY-MM-DD&time=HH:MM`: the seats of the showtime that
    /// starts then, each free or not for that showtime alone.
    ///
    /// The id is a **studio**, as the old server's was (its column named `cinema_id` held studios):
    /// an old integer id goes through the import's studio mapping. A kit id may name a studio, or a
    /// cinema whose showtime at that time is unambiguous (else 409 naming the studios).
    func seats(_ request: Request, _ context: ServerContext) async throws -> Response {
        let place = try context.parameters.require("cinema")
        guard let date = request.uri.queryParameters["date"].map(String.init), !date.isEmpty,
              let time = request.uri.queryParameters["time"].map(String.init), !time.isEmpty else {
            throw APIError(.badRequest, "Date and time are required")
        }
        let showtime = try await showtime(at: Reference(path: place), date: date, time: time)
        let map = try await box.sales.seatMap(showtime: showtime.id)
        return try Envelope(message: "Succses get data", data: map.seats.map(LegacySeat.init)).response()
    }

    /// The showtime that starts at `date` `time` in the studio (or unambiguously in the cinema) named.
    func showtime(at place: Reference, date: String, time: String) async throws -> Showtime {
        let time = time.count == 4 && time.dropFirst().first == ":" ? "0" + time : time   // "9:30", as Go read it
        let studio: Studio?
        let cinemaID: String
        switch place {
        case .legacy:
            let found = try await box.catalog.studio(id: try await resolve(place, .studios, "studio"))
            (studio, cinemaID) = (found, found.cinemaID)
        case let .text(id):
            do {
                let found = try await box.catalog.studio(id: id)
                (studio, cinemaID) = (found, found.cinemaID)
            } catch CatalogError.studioNotFound {
                (studio, cinemaID) = (nil, try await box.catalog.cinema(id: id).id)
            }
        }
        do {
            return try await box.catalog.showtime(cinemaID: cinemaID, date: date, time: time, studioID: studio?.id)
        } catch let error as CatalogError {
            if case .showtimeAmbiguous = error { throw APIError(.conflict, error.description) }
            throw error
        }
    }

    /// `GET /api/payment-methods`: the methods this store takes.
    func paymentMethods(_ request: Request, _ context: ServerContext) async throws -> Response {
        let methods = try await box.catalog.paymentMethods(includingDisabled: false)
        return try Envelope(message: "Succses get data", data: methods.map(LegacyPaymentMethod.init)).response()
    }
}

/// A cinema as the old API listed it, plus its id.
struct LegacyCinema: Encodable, Sendable {
    var id: String
    var name: String
    var location: String

    init(_ cinema: Cinema) {
        id = cinema.id
        name = cinema.name
        location = cinema.address
    }

    enum CodingKeys: String, CodingKey { case id, name = "Name", location = "Location" }
}

/// A seat of a showtime as the old API listed it (`IsAvaiable`, misspelt as old clients read it),
/// plus its id and its state for this showtime.
struct LegacySeat: Encodable, Sendable {
    var id: String
    var seatNumber: String
    var isAvailable: Bool
    var state: SeatState

    init(_ seat: SeatMap.Seat) {
        id = seat.id
        seatNumber = seat.label
        isAvailable = seat.state == .free
        state = seat.state
    }

    enum CodingKeys: String, CodingKey { case id, seatNumber = "SeatNumber", isAvailable = "IsAvaiable", state }
}

/// A payment method as the old API listed it, plus its id and code.
struct LegacyPaymentMethod: Encodable, Sendable {
    var id: String
    var code: String
    var name: String
    var logo: String

    init(_ method: PaymentMethod) {
        id = method.id
        code = method.code
        name = method.name
        logo = ""
    }

    enum CodingKeys: String, CodingKey { case id, code, name = "Name", logo = "Logo" }
}
