import BoxOfficeKit
import Foundation
import Testing
import TestSupport

/// Every error case of the old API's list answers its real status, in the one envelope, and
/// changes nothing (`docs/legacy-api-compatibility.md`).
@Suite(.serialized) struct LegacyAPIErrorTests {
    static let date = ServerFixture.showtimeDate
    static let time = ServerFixture.showtimeTime

    /// A verified customer of the old system (old user 17), logged in.
    func dewi(_ server: ServerFixture) async throws -> HTTPTestClient {
        let client = server.client()
        let login = try await client.post("/api/login", ["email": "dewi@gmail.com", "password": LegacyDatabase.passwords[17]!])
        #expect(login.status == 200, "\(login)")
        return client
    }

    @Test func accountsAnswerRealStatusesAndTellNoOneWhoIsRegistered() async throws {
        try await ServerFixture.with { server in
            let client = server.client()
            let garbage = try await client.post("/api/register", raw: "{not json")
            #expect(garbage.status == 400 && garbage.message == "Invalid JSON format" && garbage.ok == false)
            let empty = try await client.post("/api/register", ["otp": "123456"])
            #expect(empty.status == 400 && empty.message == "Validation failed")
            #expect(empty.fieldErrors == ["Name", "Phone", "Email", "Password"])
            let badEmail = try await client.post("/api/register", [
                "name": "Sari", "phone_number": "081234567891", "email": "not-an-email", "password": "long-enough-1"])
            #expect(badEmail.status == 400 && badEmail.fieldErrors == ["Email"], "\(badEmail)")

            // An address with an account answers exactly as a new one, and its owner is told by mail.
            let taken = try await client.post("/api/register", [
                "name": "Somebody", "phone_number": "081234567891", "email": "dewi@gmail.com", "password": "another-pass-1"])
            let fresh = try await client.post("/api/register", [
                "name": "Somebody", "phone_number": "081234567891", "email": "nobody-\(UUID().uuidString.prefix(6))@example.com",
                "password": "another-pass-1"])
            #expect(taken.status == 201 && fresh.status == 201)
            #expect(taken.message.replacingOccurrences(of: "dewi@gmail.com", with: "X")
                    == fresh.message.replacingOccurrences(of: fresh.data["email"] as? String ?? "", with: "X"))
            let notice = try #require(try await server.sink.waitForMessages(to: "dewi@gmail.com").last)
            #expect(notice.contains("Subject: Your BoxOffice account") && notice.contains("has an account already"))
            #expect(!notice.contains("verification code is"))
            let stillDewi = try await server.client().post("/api/login", ["email": "dewi@gmail.com", "password": LegacyDatabase.passwords[17]!])
            #expect(stillDewi.status == 200, "the form changed nothing of the account")

            let unknown = try await client.post("/api/login", ["email": "nobody@example.com", "password": "whatever-1"])
            #expect(unknown.status == 401 && unknown.ok == false, "\(unknown)")
            let wrong = try await client.post("/api/login", ["email": "dewi@gmail.com", "password": "wrong-password"])
            #expect(wrong.status == 401 && wrong.message == "email or password incorrect")
            let unverified = try await client.post("/api/login", ["email": "budi@yahoo.com", "password": LegacyDatabase.passwords[26]!])
            #expect(unverified.status == 403 && unverified.ok == false, "\(unverified)")
            let missing = try await client.post("/api/login", ["email": "dewi@gmail.com"])
            #expect(missing.status == 400 && missing.fieldErrors == ["Password"])

            let noCode = try await client.post("/api/verify-otp", ["email": "budi@yahoo.com"])
            #expect(noCode.status == 400 && noCode.fieldErrors == ["OTP"], "the code is required now")
            let stranger = try await client.post("/api/verify-otp", ["email": "nobody@example.com", "otp": "123456"])
            #expect(stranger.status == 401)
            let verifiedAlready = try await client.post("/api/verify-otp", ["email": "dewi@gmail.com", "otp": "123456"])
            #expect(verifiedAlready.status == 401 && verifiedAlready.message == stranger.message)

            // A code tried too often stops working: 429.
            let email = "tries-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            _ = try await client.post("/api/register", ["name": "Tri", "phone_number": "081234567892", "email": email, "password": "tries-pass-123"])
            let code = try SMTPSink.code(in: try #require(try await server.sink.waitForMessages(to: email).first))
            let wrongCode = code == "000000" ? "111111" : "000000"
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await client.post("/api/verify-otp", ["email": email, "otp": wrongCode]).status) }
            #expect(statuses == [401, 401, 401, 401, 429])
            let late = try await client.post("/api/verify-otp", ["email": email, "otp": code])
            #expect(late.status == 429 && client.cookie("session") == nil, "\(late)")

            let noCookie = try await client.post("/api/logout", [String: String]())
            #expect(noCookie.status == 401)
            client.setCookie("session", "not-a-session")
            let forged = try await client.get("/api/user/bookings?page=1")
            #expect(forged.status == 401 && forged.ok == false, "never an empty 200")
        }
    }

    @Test func catalogRoutesAnswerRealStatuses() async throws {
        try await ServerFixture.with { server in
            let client = server.client()
            #expect(try await client.get("/api/cinemas").status == 400)
            #expect(try await client.get("/api/cinemas?page=abc").message == "Invalid page")
            #expect(try await client.get("/api/cinemas?page=1&limit=0").status == 400)
            let past = try await client.get("/api/cinemas?page=9")
            #expect(past.status == 200 && past.items.isEmpty)
            #expect(try await client.get("/api/cinemas/99").status == 404)
            #expect(try await client.get("/api/cinemas/no-such-cinema").status == 404)
            let grand = try await client.get("/api/cinemas/1")
            let byKitID = try await client.get("/api/cinemas/\(grand.data["id"] as? String ?? "")")
            #expect(byKitID.status == 200 && byKitID.data["Name"] as? String == "Grand Indonesia XXI")

            #expect(try await client.get("/api/cinemas/1/seats").message == "Date and time are required")
            #expect(try await client.get("/api/cinemas/1/seats?date=\(Self.date)").status == 400)
            #expect(try await client.get("/api/cinemas/1/seats?date=31-12-2026&time=19:30").status == 400)
            let none = try await client.get("/api/cinemas/1/seats?date=\(Self.date)&time=11:11")
            #expect(none.status == 404 && none.ok == false, "\(none)")
            #expect(try await client.get("/api/cinemas/77/seats?date=\(Self.date)&time=19:30").status == 404)
            // By a kit cinema id, the showtime at that time must be the only one (studio 1 and studio 4 of two cinemas here).
            let cinemaSeats = try await client.get("/api/cinemas/\(grand.data["id"] as? String ?? "")/seats?date=\(Self.date)&time=19:30")
            #expect(cinemaSeats.status == 200 && cinemaSeats.items.count == 6, "\(cinemaSeats)")

            let methods = try await client.get("/api/payment-methods")
            #expect(methods.status == 200 && methods.items.contains { $0["Name"] as? String == "GoPay" || $0["code"] as? String == "gopay" })
            #expect(methods.items.allSatisfy { $0["id"] is String && $0["Logo"] is String })

            #expect(try await client.get("/api/nothing-here").status == 404)
            let wrongMethod = try await client.send("DELETE", "/api/cinemas", body: nil)
            #expect(wrongMethod.status == 405 || wrongMethod.status == 404)
            #expect(wrongMethod.ok == false)
        }
    }

    @Test func bookingIsAllOrNothingAndPaymentChecksOwnerStateAndCardData() async throws {
        try await ServerFixture.with { server in
            let anonymous = server.client()
            let unauthenticated = try await anonymous.post("/api/booking", ["Date": Self.date, "Time": Self.time, "seatIds": [3]])
            #expect(unauthenticated.status == 401)

            let dewi = try await dewi(server)
            #expect(try await dewi.post("/api/booking", raw: "[1, 2").status == 400)
            let misspelt = try await dewi.post("/api/booking", ["Date": Self.date, "Time": Self.time, "seat_ids": [3]])
            #expect(misspelt.status == 400 && misspelt.fieldErrors == ["SeatIds"], "never a 200 that booked nothing")
            let noDate = try await dewi.post("/api/booking", ["seatIds": [3]])
            #expect(noDate.fieldErrors == ["Date", "Time"])
            let noShowtime = try await dewi.post("/api/booking", ["Date": Self.date, "Time": "11:11", "seatIds": [3]])
            #expect(noShowtime.status == 404, "\(noShowtime)")
            let unknownSeat = try await dewi.post("/api/booking", ["Date": Self.date, "Time": Self.time, "seatIds": [999]])
            #expect(unknownSeat.status == 404)
            let unknownMethod = try await dewi.post("/api/booking", ["Date": Self.date, "Time": Self.time, "seatIds": [3], "payment_method": 42])
            #expect(unknownMethod.status == 400 && unknownMethod.fieldErrors == ["PaymentMethod"], "\(unknownMethod)")
            let wrongType = try await dewi.post("/api/booking", ["Date": Self.date, "Time": Self.time, "seatIds": "3"])
            #expect(wrongType.status == 400 && wrongType.message == "Invalid JSON format")

            // B2 (old id 5) is sold: B3 (6) is not booked either.
            let taken = try await dewi.post("/api/booking", ["Date": Self.date, "Time": Self.time, "seatIds": [5, 6]])
            #expect(taken.status == 409 && taken.message.contains("B2") && !taken.message.contains("B3"), "\(taken)")
            let seats = try await dewi.get("/api/cinemas/1/seats?date=\(Self.date)&time=\(Self.time)")
            #expect(seats.items.first { $0["SeatNumber"] as? String == "B3" }?["IsAvaiable"] as? Bool == true)

            // Labels and an old seat id in one body, and a large body refused before it is read.
            let booked = try await dewi.post("/api/booking", ["date": Self.date, "time": Self.time, "seatIds": ["B3", 3]])
            #expect(booked.status == 200 && booked.data["seats"] as? [String] == ["A3", "B3"], "\(booked)")
            let bookingID = try #require(booked.data["id"] as? String)
            let huge = try await dewi.post("/api/booking", raw: "{\"Date\": \"" + String(repeating: "x", count: 70_000) + "\"}")
            #expect(huge.status == 413 && huge.ok == false, "\(huge)")

            // Card data: refused whatever the key or the method, and nothing is kept.
            for details: [String: Any] in [["card_number": "4000056655665556"], ["CVV": "739"], ["reference": "4111 1111 1111 1111"],
                                           ["note": 4111111111111111]] {
                let refused = try await dewi.post("/api/payment", ["booking_id": bookingID, "payment_method": 2, "payment_details": details])
                #expect(refused.status == 422, "\(details): \(refused)")
            }
            #expect(!server.storeBytes().contains(Data("4000056655665556".utf8)))
            #expect(!server.logs.text.contains("4000056655665556") && !server.logs.text.contains("739"))

            let missing = try await dewi.post("/api/payment", ["payment_details": ["reference": "GOPAY-1"]])
            #expect(missing.status == 400 && missing.fieldErrors == ["BookingID", "PaymentMethod"])
            let unknownBooking = try await dewi.post("/api/payment", ["booking_id": 9_999, "payment_method": 2])
            #expect(unknownBooking.status == 404)
            // Cash and card are counter-only: the old id 1 is the credit card.
            let card = try await dewi.post("/api/payment", ["booking_id": bookingID, "payment_method": 1])
            #expect(card.status == 403, "\(card)")
            let wrongAmount = try await dewi.post("/api/payment", [
                "booking_id": bookingID, "payment_method": 2, "amount": 1, "payment_details": ["reference": "GOPAY-1"]])
            #expect(wrongAmount.status == 400, "\(wrongAmount)")

            // Another customer cannot pay it; nor can anyone pay an old booking of someone else (old id 65 is dewi's).
            let sariEmail = "sari-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let sari = server.client()
            _ = try await sari.post("/api/register", ["name": "Sari", "phone_number": "081234567893", "email": sariEmail, "password": "sari-pass-1234"])
            let code = try SMTPSink.code(in: try #require(try await server.sink.waitForMessages(to: sariEmail).first))
            #expect(try await sari.post("/api/verify-otp", ["email": sariEmail, "otp": code]).status == 200)
            let notHers = try await sari.post("/api/payment", ["booking_id": bookingID, "payment_method": "gopay",
                                                               "payment_details": ["reference": "GOPAY-2"]])
            #expect(notHers.status == 403, "\(notHers)")
            let oldOne = try await sari.post("/api/payment", ["booking_id": 65, "payment_method": 2])
            #expect(oldOne.status == 403, "\(oldOne)")

            let submitted = try await dewi.post("/api/payment", ["booking_id": bookingID, "payment_method": 2,
                                                                 "payment_details": ["reference": "GOPAY-3"]])
            #expect(submitted.status == 200 && submitted.data["status"] as? String == "pending_payment")
            let again = try await dewi.post("/api/payment", ["booking_id": bookingID, "payment_method": 2,
                                                             "payment_details": ["reference": "GOPAY-3"]])
            #expect(again.status == 409, "\(again)")
            let paidOld = try await dewi.post("/api/payment", ["booking_id": 65, "payment_method": 2])
            #expect(paidOld.status == 409, "an old paid booking is paid already: \(paidOld)")

            #expect(try await dewi.get("/api/user/bookings").status == 400)
            let history = try await dewi.get("/api/user/bookings?page=1&limit=50")
            let states = Set(history.items.compactMap { $0["status"] as? String })
            #expect(states == ["paid", "pending_payment"], "\(history)")
            #expect(history.items.contains { $0["id"] as? String == bookingID })
        }
    }

    @Test func theCookieIsSecureBehindATrustedProxyOnly() async throws {
        try await ServerFixture.with(trustForwardedProto: true) { server in
            let plain = server.client()
            _ = try await plain.post("/api/login", ["email": "dewi@gmail.com", "password": LegacyDatabase.passwords[17]!])
            #expect(plain.lastSetCookieHeader?.contains("Secure") == false)
            let proxied = server.client()
            proxied.extraHeaders = ["X-Forwarded-Proto": "https"]
            _ = try await proxied.post("/api/login", ["email": "dewi@gmail.com", "password": LegacyDatabase.passwords[17]!])
            #expect(proxied.lastSetCookieHeader?.contains("Secure") == true, "\(proxied.lastSetCookieHeader ?? "")")
        }
    }
}
