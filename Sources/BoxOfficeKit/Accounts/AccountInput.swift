import Foundation

/// Validation of what people type into account forms; each failure names its field.
enum AccountInput {
    /// A yescrypt hash of a throwaway password, verified against when an email is unknown.
    static let decoyHash: String = (try? PasswordHasher.hash(EntityID.make())) ?? ""

    static func name(_ raw: String) throws(InputError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw InputError(field: "name", reason: "must not be empty") }
        guard name.count <= 100 else { throw InputError(field: "name", reason: "must be at most 100 characters") }
        return name
    }

    /// The email lower-cased, or an error when it is not `local@domain.tld`.
    static func email(_ raw: String) throws(InputError) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace || $0 == "," || $0 == "<" || $0 == ">" })
        else { throw InputError(field: "email", reason: "must be an address like name@example.com") }
        return email
    }

    static func checkPassword(_ password: String, email: String) throws(InputError) {
        guard password.count >= 8 else { throw InputError(field: "password", reason: "must be at least 8 characters") }
        guard password.lowercased() != email.lowercased() else {
            throw InputError(field: "password", reason: "must not be your email address")
        }
    }
}
