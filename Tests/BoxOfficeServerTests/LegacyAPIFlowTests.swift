import BoxOfficeKit
import Foundation
import Testing
import TestSupport

/// The old clients' whole flow over real HTTP on 127.0.0.1, with a cookie jar and the code read
/// from the real SMTP server (issue 18's "Done when").
@Suite(.serialized) struct LegacyAPIFlowTests {
    let password = "sari-rahasia-2026"

    @Test func theOldFlowWorksEndToEndWithItsDefectsFixed() async throws {
        try await ServerFixture.with { server in
            let client = server.client()
            let email = "sari-\(UUID().uuidString.prefix(8).lowercased())@example.com"

            let registered = try await client.post("/api/register", [
                "name": "Sari Wulandari", "phone_number": "081234567891", "email": email, "password": password])
            #expect(registered.status == 201, "\(registered)")
            #expect(registered.ok == true && registered.message.hasPrefix("Registrasi berhasil."))
            #expect(registered.data["email"] as? String == email)

            let mail = try #require(try await server.sink.waitForMessages(to: email).first)
            let code = try SMTPSink.code(in: mail)
            let wrong = code == "000000" ? "111111" : "000000"
            let refused = try await client.post("/api/verify-otp", ["email": email, "otp": wrong])
            #expect(refused.status == 401 && refused.ok == false && client.cookie("session") == nil, "\(refused)")

            let verified = try await client.post("/api/verify-otp", ["email": email, "otp": code])
            #expect(verified.status == 200 && verified.message == "Login successful", "\(verified)")
            let cookieHeader = try #require(client.lastSetCookieHeader)
            for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=86400"] {
                #expect(cookieHeader.contains(attribute), "\(cookieHeader)")
            }
            #expect(!cookieHeader.contains("Secure"))
            let verifiedCookie = try #require(client.cookie("session"))

            let loggedIn = try await client.post("/api/login", ["email": email, "password": password])
            #expect(loggedIn.status == 200 && loggedIn.ok == true, "\(loggedIn)")
            let sessionCookie = try #require(client.cookie("session"))
            #expect(sessionCookie != verifiedCookie)

            let cinemas = try await client.get("/api/cinemas?page=1&limit=5")
            #expect(cinemas.status == 200)
            #expect(Set(cinemas.items.compactMap { $0["Name"] as? String }) == ["Grand Indonesia XXI", "PIM 3 XXI"])
            #expect(cinemas.items.allSatisfy { $0["id"] is String && $0["Location"] is String })
            let pagination = cinemas.json["pagination"] as? [String: Any]
            #expect(pagination?["current_page"] as? Int == 1 && pagination?["limit"] as? Int == 5 && pagination?["total_pages"] as? Int == 1)
            let grand = try await client.get("/api/cinemas/1")
            #expect(grand.status == 200 && grand.data["Name"] as? String == "Grand Indonesia XXI", "\(grand)")

            let seatsPath = "/api/cinemas/1/seats?date=\(ServerFixture.showtimeDate)&time=\(ServerFixture.showtimeTime)"
            let before = try await client.get(seatsPath)
            #expect(before.status == 200, "\(before)")
            let available = Dictionary(uniqueKeysWithValues: before.items.map { ($0["SeatNumber"] as? String ?? "?", $0["IsAvaiable"] as? Bool) })
            // A1 and B2 are sold for this showtime and A2 held; A3 and B1, sold for an old showtime, are free here.
            #expect(available == ["A1": false, "A2": false, "A3": true, "B1": true, "B2": false, "B3": true], "\(before)")
            #expect(before.items.allSatisfy { ($0["id"] as? String)?.isEmpty == false })

            let booked = try await client.post("/api/booking", [
                "Date": ServerFixture.showtimeDate, "Time": ServerFixture.showtimeTime, "seatIds": [3, 4], "payment_method": 2])
            #expect(booked.status == 200 && booked.ok == true, "\(booked)")
            let bookingID = try #require(booked.data["id"] as? String)
            let bookingCode = try #require(booked.data["code"] as? String)
            #expect(booked.data["seats"] as? [String] == ["A3", "B1"] && booked.data["status"] as? String == "held")
            #expect(client.lastSetCookieHeader?.contains("session=\(sessionCookie)") == true, "extended, not rotated")

            let after = try await client.get(seatsPath)
            let nowTaken = after.items.filter { $0["IsAvaiable"] as? Bool == false }.compactMap { $0["SeatNumber"] as? String }
            #expect(Set(nowTaken) == ["A1", "A2", "A3", "B1", "B2"])

            let withCard = try await client.post("/api/payment", [
                "booking_id": bookingID, "payment_method": 2,
                "payment_details": ["card_number": "4111111111111111", "cvv": "123", "expiry_date": "12/29"]])
            #expect(withCard.status == 422 && withCard.ok == false, "\(withCard)")
            let stillHeld = try await client.get(seatsPath)
            #expect(stillHeld.items.filter { $0["IsAvaiable"] as? Bool == false }.count == 5)

            let paid = try await client.post("/api/payment", [
                "booking_id": bookingID, "payment_method": 2, "payment_details": ["reference": "GOPAY-7781-2201"]])
            #expect(paid.status == 200 && paid.ok == true, "\(paid)")
            #expect(paid.data["status"] as? String == "pending_payment" && paid.data["submitted"] as? Bool == true)
            #expect(paid.data["code"] as? String == bookingCode)

            let history = try await client.get("/api/user/bookings?page=1")
            #expect(history.status == 200, "\(history)")
            let item = try #require(history.items.first)
            #expect(history.items.count == 1)
            #expect(item["MovieTitle"] as? String == "Avengers: Infinity War" && item["Duration"] as? Int == 149)
            #expect(item["CinemaName"] as? String == "Grand Indonesia XXI" && (item["Location"] as? String)?.contains("Thamrin") == true)
            #expect(item["id"] as? String == bookingID && item["status"] as? String == "pending_payment")
            #expect((item["ShowTime"] as? String)?.hasSuffix("Z") == true)

            let out = try await client.post("/api/logout", [String: String]())
            #expect(out.status == 200 && out.message == "Logout successful")
            #expect(client.cookie("session") == nil)
            client.setCookie("session", sessionCookie)   // the old cookie, replayed
            let afterLogout = try await client.get("/api/user/bookings?page=1")
            #expect(afterLogout.status == 401 && afterLogout.ok == false, "\(afterLogout)")

            // Nothing secret in the log or the store; every request line has its id.
            let log = server.logs.text
            for secret in [password, code, sessionCookie, verifiedCookie, "4111111111111111", "12/29"] {
                #expect(!log.contains(secret), "the log holds a secret")
            }
            let requests = server.logs.all.filter { $0.contains(" request ") }
            #expect(requests.count == 15 && requests.allSatisfy { $0.contains("hb.request.id=") })
            #expect(!server.storeBytes().contains(Data("4111111111111111".utf8)))
        }
    }
}
