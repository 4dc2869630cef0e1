import BoxOfficeKit

extension HeadOffice {
    /// Adds a staff account at head office, from where it reaches its cinema's counters (or every
    /// counter, for an account of the whole chain) with their next pull. Staff accounts, their
    /// roles and their passwords change only here, online: no counter's push may make or change one.
    ///
    /// ```swift
    /// let account = try StaffAccount(name: "Budi", email: "budi@example.com", role: .cashier,
    ///                                cinemaID: braga.id, password: password)
    /// try headOffice.addStaff(account)
    /// ```
    ///
    /// - Throws: ``PostgresError`` when the email has an account already or the cinema is unknown.
    public func addStaff(_ account: StaffAccount) throws {
        try connection.query("SELECT central.add_staff($1::jsonb)", [try account.payload()])
    }

    /// Changes a staff account's password, after checking its old one here.
    ///
    /// - Throws: ``CentralError/wrongStaffPassword(email:)`` when `oldPassword` is not the account's
    ///   (or there is no such account); ``InputError`` for a new password the kit refuses.
    public func changeStaffPassword(email: String, from oldPassword: String, to newPassword: String) throws {
        let stored = try connection.query("SELECT central.staff_password_hash($1)", [email]).scalar
        guard let stored, StaffAccount.verify(oldPassword, against: stored) else {
            throw CentralError.wrongStaffPassword(email: email)
        }
        let hash = try StaffAccount.passwordHash(for: newPassword, email: email)
        try connection.query("SELECT central.set_staff_password($1, $2)", [email, hash])
    }
}
