import Foundation

extension LegacyImportPlan.Planner {
    /// A hash that no password matches (libxcrypt refuses it as a setting), for an old account the
    /// old system stored no hash for.
    static let unusableHash = "!"

    mutating func planUsers() {
        report.read("users", snapshot.users.count)
        // The earliest account of each email ignoring case keeps it; the old system compared exactly.
        let users = snapshot.users.sorted { lhs, rhs in
            (time(lhs.createdAt) ?? .distantFuture, lhs.id) < (time(rhs.createdAt) ?? .distantFuture, rhs.id)
        }
        var keepers: [String: Int64] = [:]
        for user in users {
            if ids[.users, user.id] != nil {
                report.alreadyImported("users")
                if let email = try? AccountInput.email(user.email ?? ""), user.deletedAt == nil {
                    if keepers[email] == nil { keepers[email] = user.id }
                    customers[user.id] = (Self.name(user, email: email), email)
                }
                continue
            }
            guard user.deletedAt == nil else {
                skip("users", .users, user.id, "removed in the old system")
                continue
            }
            guard let email = try? AccountInput.email(user.email ?? "") else {
                skip("users", .users, user.id, "its email is not an address")
                continue
            }
            let name = Self.name(user, email: email)
            if let change = user.username.flatMap({ HumanText.sanitised($0, maximum: 100).change }) {
                report.note("users", user.id, "its name: \(change)")
            }
            if let keeper = keepers[email], let keeperID = ids[.users, keeper] {
                map(.users, user.id, to: keeperID)
                customers[user.id] = customers[keeper] ?? (name, email)
                report.imported("users")
                report.note("users", user.id, "its email differs only by case from old user \(keeper)'s: merged into that "
                    + "account, which takes its bookings; its own password is not kept")
                continue
            }
            keepers[email] = user.id
            let created = time(user.createdAt) ?? time(user.updatedAt) ?? options.now
            let updated = time(user.updatedAt) ?? created
            var phone: String?
            if let raw = Self.trimmed(user.phoneNumber) {
                phone = try? AccountInput.phone(raw)
                if phone == nil { report.note("users", user.id, "its phone number is not an Indonesian mobile number: not kept") }
            }
            var hash = Self.trimmed(user.passwordHash) ?? ""
            if hash.isEmpty {
                hash = Self.unusableHash
                report.note("users", user.id, "the old system stored no password for it: it cannot log in until given a new one")
            }
            let row = ImportBatch.UserRow(
                id: EntityID.make(at: created), name: name, email: email, phone: phone, passwordHash: hash,
                verifiedAt: user.isVerified == true ? updated : nil, createdAt: created, updatedAt: updated)
            batch.users.append(row)
            map(.users, user.id, to: row.id, origin: true)
            customers[user.id] = (name, email)
            report.imported("users")
            if Self.trimmed(user.username) == nil { report.note("users", user.id, "has no name: named after its email") }
        }
        if !batch.users.isEmpty {
            let unverified = batch.users.count { $0.verifiedAt == nil }
            report.note("users", nil, "accounts keep their bcrypt passwords (rehashed at the first login); "
                + "\(unverified) not verified in the old system must verify their email by code before they can log in; "
                + "the bookings of accounts not imported are kept without an account")
        }
    }

    /// The username as ``HumanText`` lets it be kept, or the email's local part when there is none
    /// (or it held card data).
    static func name(_ user: LegacySnapshot.User, email: String) -> String {
        user.username.flatMap { HumanText.sanitised($0, maximum: 100).text }
            ?? HumanText.sanitised(String(email.prefix { $0 != "@" }), maximum: 100).text ?? "Customer"
    }

    mutating func planSessions() {
        report.read("sessions", snapshot.sessionCount)
        if snapshot.sessionCount > 0 {
            report.skip("sessions", nil, "sessions are never imported: customers log in again", count: snapshot.sessionCount)
        }
    }
}
