import BoxOfficeKit
import Foundation
import Testing
import TestSupport

/// The kit's JSON API over real HTTP: every `/v1` route once, each body checked against the
/// schema the OpenAPI document names for it (the CLI's `--json` schemas), and its refusals.
@Suite(.serialized) struct V1APITests {
    @Test func everyRouteAnswersItsDocumentedShape() async throws {
        try await ServerFixture.with { server in
            _ = try await server.box.accounts.createFirstManager(name: "Rina Manager", email: "rina.manager@example.com",
                                                                 password: "manager-pass-2026")
            let dewi = server.client()
            let login = try await dewi.post("/v1/sessions", ["email": "dewi@gmail.com", "password": LegacyDatabase.passwords[17]!])
            #expect(login.status == 201, "\(login)")
            ResponseSchemas.check(login.body, against: "login")

            let cinemas = try await dewi.get("/v1/cinemas?page=1&limit=10")
            ResponseSchemas.check(cinemas.body, against: "cinema-list")
            let grand = try #require((cinemas.json["items"] as? [[String: Any]])?.first { $0["name"] as? String == "Grand Indonesia XXI" })
            let cinemaID = try #require(grand["id"] as? String)
            ResponseSchemas.check(try await dewi.get("/v1/cinemas/\(cinemaID)").body, against: "cinema")
            let showtimes = try await dewi.get("/v1/cinemas/\(cinemaID)/showtimes?date=\(ServerFixture.showtimeDate)")
            #expect(showtimes.status == 200, "\(showtimes)")
            ResponseSchemas.check(showtimes.body, against: "showtime-list")
            let showtime = try #require((showtimes.json["items"] as? [[String: Any]])?.first { $0["studio_name"] as? String == "Studio 1" })
            let showtimeID = try #require(showtime["id"] as? String)
            ResponseSchemas.check(try await dewi.get("/v1/showtimes/\(showtimeID)").body, against: "showtime")
            let seats = try await dewi.get("/v1/showtimes/\(showtimeID)/seats")
            ResponseSchemas.check(seats.body, against: "seat-map")
            ResponseSchemas.check(try await dewi.get("/v1/payment-methods").body, against: "payment-method-list")

            let held = try await dewi.post("/v1/bookings", ["showtime_id": showtimeID, "seats": ["A3"]])
            #expect(held.status == 201, "\(held)")
            ResponseSchemas.check(held.body, against: "booking")
            let code = try #require(held.json["code"] as? String)
            let total = try #require(held.json["total"] as? Int)
            let paid = try await dewi.post("/v1/bookings/\(code)/payment", ["method": "gopay", "amount": total, "reference": "GOPAY-1"])
            #expect(paid.status == 200 && paid.json["status"] as? String == "pending_payment", "\(paid)")
            ResponseSchemas.check(paid.body, against: "booking")
            ResponseSchemas.check(try await dewi.get("/v1/bookings?status=pending_payment").body, against: "booking-summary-list")
            ResponseSchemas.check(try await dewi.get("/v1/bookings/\(code)").body, against: "booking")
            let receipt = try await dewi.get("/v1/bookings/\(code)/receipt")
            #expect(receipt.status == 200, "\(receipt)")
            ResponseSchemas.check(receipt.body, against: "receipt")
            let cancelled = try await dewi.post("/v1/bookings/\(code)/cancel", [String: String]())
            #expect(cancelled.status == 200 && cancelled.json["status"] as? String == "cancelled", "\(cancelled)")
            ResponseSchemas.check(cancelled.body, against: "booking")

            // Staff: a counter sale, the conflicts and the sync status; a customer is refused them.
            #expect(try await dewi.get("/v1/sync/status").status == 403)
            #expect(try await dewi.post("/v1/sales", ["showtime_id": showtimeID, "seats": ["B3"], "method": "cash"]).status == 403)
            let manager = server.client()
            #expect(try await manager.post("/v1/sessions", ["email": "rina.manager@example.com", "password": "manager-pass-2026"]).status == 201)
            let token = try #require(manager.cookie("session"))
            let bearer = server.client()
            bearer.extraHeaders = ["Authorization": "Bearer \(token)"]
            let sold = try await bearer.post("/v1/sales", ["showtime_id": showtimeID, "seats": ["B3"], "method": "cash"])
            #expect(sold.status == 201 && sold.json["status"] as? String == "paid", "\(sold)")
            ResponseSchemas.check(sold.body, against: "booking")
            ResponseSchemas.check(try await bearer.get("/v1/conflicts?all=true").body, against: "sync-conflict-list")
            let status = try await bearer.get("/v1/sync/status")
            #expect(status.status == 200, "\(status)")
            ResponseSchemas.check(status.body, against: "sync-status")

            let out = try await dewi.send("DELETE", "/v1/sessions", body: nil)
            #expect(out.status == 200 && out.json["logged_out"] as? Bool == true)
            ResponseSchemas.check(out.body, against: "logout")
            let refused = try await dewi.post("/v1/bookings", ["showtime_id": showtimeID, "seats": ["A3"]])
            #expect(refused.status == 401 && refused.ok == false && !refused.message.isEmpty)
            let bad = try await bearer.post("/v1/bookings", ["showtime_id": showtimeID])
            #expect(bad.status == 400 && bad.fieldErrors == ["seats"], "\(bad)")
            let taken = try await bearer.post("/v1/bookings", ["showtime_id": showtimeID, "seats": ["B3"]])
            #expect(taken.status == 409, "\(taken)")
        }
    }

    /// The routes the counter screen added: a customer found by staff, a hold for them, a refund due
    /// paid out, a conflict's resolution refused before head office is asked.
    @Test func theCounterScreensRoutesAnswerTheirDocumentedShapes() async throws {
        try await ServerFixture.with { server in
            _ = try await server.box.accounts.createFirstManager(name: "Rina Manager", email: "rina.manager@example.com",
                                                                 password: "manager-pass-2026")
            let staff = server.client()
            #expect(try await staff.post("/v1/sessions", ["email": "rina.manager@example.com", "password": "manager-pass-2026"]).status == 201)
            let dewi = server.client()
            #expect(try await dewi.post("/v1/sessions", ["email": "dewi@gmail.com", "password": LegacyDatabase.passwords[17]!]).status == 201)
            let cinemas = try await staff.get("/v1/cinemas?page=1&limit=10")
            let cinemaID = try #require((cinemas.json["items"] as? [[String: Any]])?
                .first { $0["name"] as? String == "Grand Indonesia XXI" }?["id"] as? String)
            let showtimes = try await staff.get("/v1/cinemas/\(cinemaID)/showtimes?date=\(ServerFixture.showtimeDate)")
            let showtimeID = try #require((showtimes.json["items"] as? [[String: Any]])?
                .first { $0["studio_name"] as? String == "Studio 1" }?["id"] as? String)

            let found = try await staff.get("/v1/customers?q=DEWI%40gmail")
            #expect(found.status == 200, "\(found)")
            ResponseSchemas.check(found.body, against: "user-list")
            let emails = (found.json["items"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
            #expect(emails == ["dewi@gmail.com"], "\(found)")
            #expect(try await dewi.get("/v1/customers?q=budi").status == 403)
            let short = try await staff.get("/v1/customers?q=d")
            #expect(short.status == 400 && short.fieldErrors == ["query"], "\(short)")
            #expect(try await staff.get("/v1/customers").status == 400)

            // Staff hold seats for the customer they found; a customer cannot hold for another.
            let held = try await staff.post("/v1/bookings", ["showtime_id": showtimeID, "seats": ["A3"], "customer_email": "dewi@gmail.com"])
            #expect(held.status == 201 && held.json["status"] as? String == "held" && held.json["customer_email"] as? String == "dewi@gmail.com",
                    "\(held)")
            ResponseSchemas.check(held.body, against: "booking")
            let forOther = try await dewi.post("/v1/bookings", ["showtime_id": showtimeID, "seats": ["B2"], "customer_email": "budi@yahoo.com"])
            #expect(forOther.status == 403, "\(forOther)")

            // Sold to her, cancelled by her: a refund due, which staff pay out (and she cannot).
            let sold = try await staff.post("/v1/sales", ["showtime_id": showtimeID, "seats": ["B3"], "method": "cash",
                                                          "customer_email": "dewi@gmail.com"])
            let code = try #require(sold.json["code"] as? String, "\(sold)")
            let cancelled = try await dewi.post("/v1/bookings/\(code)/cancel", [String: String]())
            #expect(cancelled.json["status"] as? String == "refund_due", "\(cancelled)")
            #expect(try await dewi.post("/v1/bookings/\(code)/refund", [String: String]()).status == 403)
            let refunded = try await staff.post("/v1/bookings/\(code)/refund", [String: String]())
            #expect(refunded.status == 200 && refunded.json["status"] as? String == "refunded", "\(refunded)")
            ResponseSchemas.check(refunded.body, against: "booking")
            #expect(try await staff.post("/v1/bookings/\(code)/refund", [String: String]()).status == 409, "nothing left to refund")

            // A resolution names exactly one way, for a conflict this counter knows, by staff.
            #expect(try await dewi.post("/v1/conflicts/nope/resolution", ["close": true]).status == 403)
            let none = try await staff.post("/v1/conflicts/nope/resolution", [String: Any]())
            #expect(none.status == 400 && none.fieldErrors == ["seat"], "\(none)")
            let two = try await staff.post("/v1/conflicts/nope/resolution", ["seat": "A3", "refund": true])
            #expect(two.status == 400, "\(two)")
            let unknown = try await staff.post("/v1/conflicts/nope/resolution", ["close": true])
            #expect(unknown.status == 404, "\(unknown)")
        }
    }
}
