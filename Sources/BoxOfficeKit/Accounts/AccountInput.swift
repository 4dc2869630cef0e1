import Foundation

/// Validation of what people type into account forms; each failure names its field.
enum AccountInput {
    /// A yescrypt hash of a throwaway password, verified against when an email is unknown.
    static let decoyHash: String = (try? PasswordHasher.hash(EntityID.make())) ?? ""

    /// A person's name: ``HumanText``, at most 100 characters.
    static func name(_ raw: String) throws(InputError) -> String {
        try HumanText.checked(raw, field: "name", maximum: 100)
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

    /// An Indonesian mobile number in E.164 form (`+6281234567890`), from `0812-3456-7890`,
    /// `+62 812 3456 7890` or `62812…`; spaces, dashes, dots and brackets are ignored.
    static func phone(_ raw: String) throws(InputError) -> String {
        let bad = InputError(field: "phone", reason: "must be an Indonesian mobile number like 0812-3456-7890 or +62 812 3456 7890")
        let separators: Set<Character> = [" ", "-", ".", "(", ")"]
        let compact = String(raw.trimmingCharacters(in: .whitespacesAndNewlines).filter { !separators.contains($0) })
        let national: Substring
        if compact.hasPrefix("+62") {
            national = compact.dropFirst(3)
        } else if compact.hasPrefix("62") {
            national = compact.dropFirst(2)
        } else if compact.hasPrefix("0") {
            national = compact.dropFirst(1)
        } else {
            throw bad
        }
        // Mobile numbers: 8, then 8 to 11 more digits (0812-345-678 up to 0812-3456-78901).
        guard national.first == "8", (9...12).contains(national.count),
              national.allSatisfy({ $0.isASCII && $0.isNumber })
        else { throw bad }
        return "+62" + national
    }

    static func checkPassword(_ password: String, email: String) throws(InputError) {
        guard password.count >= 8 else { throw InputError(field: "password", reason: "must be at least 8 characters") }
        guard password.utf8.count <= 1024 else { throw InputError(field: "password", reason: "must be at most 1024 bytes") }
        // The C hashing library would silently cut the password at a NUL character.
        guard !password.contains("\0") else { throw InputError(field: "password", reason: "must not contain a NUL character") }
        guard password.lowercased() != email.lowercased() else {
            throw InputError(field: "password", reason: "must not be your email address")
        }
    }
}
