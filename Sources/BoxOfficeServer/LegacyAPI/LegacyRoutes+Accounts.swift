import BoxOfficeKit
import Foundation
import Hummingbird

extension LegacyRoutes {
    /// The old form's Go field names, by the kit's field names.
    static let fieldNames = ["name": "Name", "phone": "Phone", "email": "Email", "password": "Password", "code": "OTP"]

    /// 400 "Validation failed" for every field of `required` that is missing or empty, in order.
    static func requireFields(_ body: JSONBody, _ required: [(key: String, field: String)], invalid: String = "unvalid format") throws {
        var errors: [APIError.FieldError] = []
        for (key, field) in required {
            let value = try body.string(key, invalid: invalid)
            if value?.isEmpty ?? true { errors.append(.init(field: field, message: "\(field) is required")) }
        }
        if !errors.isEmpty { throw APIError(.badRequest, "Validation failed", errors: errors) }
    }

    /// The kit's input error, named as the old form named its fields.
    static func renamed(_ error: InputError) -> APIError {
        let field = fieldNames[error.field] ?? error.field
        return .validation(field, "\(field) \(error.reason)")
    }

    /// `POST /api/register`: 201 whether or not the address has an account (the mail says which).
    func register(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try await JSONBody.read(request, context: context)
        try Self.requireFields(body, [("name", "Name"), ("phone_number", "Phone"), ("email", "Email"), ("password", "Password")],
                               invalid: "Invalid JSON format")
        let email = try body.string("email") ?? ""
        do {
            _ = try await box.accounts.registerQuietly(
                name: try body.string("name") ?? "", email: email,
                phone: try body.string("phone_number") ?? "", password: try body.string("password") ?? "")
        } catch let error as InputError {
            throw Self.renamed(error)
        }
        struct Registered: Encodable, Sendable { var email: String }
        return try Envelope(
            message: "Registrasi berhasil. We have mailed a 6-digit code to \(email); it works for 5 minutes.",
            data: Registered(email: email)
        ).response(status: .created)
    }

    /// `POST /api/verify-otp`: the code is checked; right, the account is verified and logged in.
    func verifyOTP(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try await JSONBody.read(request, context: context, invalid: "unvalid format")
        try Self.requireFields(body, [("email", "Email"), ("otp", "OTP")])
        let session: LoginSession
        do {
            session = try await box.accounts.verify(email: try body.string("email") ?? "", code: try body.string("otp") ?? "")
        } catch let error as InputError {
            throw Self.renamed(error)
        } catch AccountError.userNotFound, AccountError.alreadyVerified {
            // Answered as a wrong code: this route does not tell who has an account.
            throw APIError(.unauthorized, "Kode OTP salah atau sudah kadaluarsa: that code is wrong or has expired")
        }
        var response = try Envelope(message: "Login successful", data: LoggedIn(session)).response()
        response.setCookie(cookie.setting(session.token, for: request))
        return response
    }

    /// `POST /api/login`.
    func login(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try await JSONBody.read(request, context: context, invalid: "unvalid format")
        try Self.requireFields(body, [("email", "Email"), ("password", "Password")])
        let session: LoginSession
        do {
            session = try await box.accounts.login(email: try body.string("email") ?? "", password: try body.string("password") ?? "")
        } catch AccountError.wrongCredentials {
            throw APIError(.unauthorized, "email or password incorrect")
        }
        var response = try Envelope(message: "Login successful", data: LoggedIn(session)).response()
        response.setCookie(cookie.setting(session.token, for: request))
        return response
    }

    /// `POST /api/logout`: the session ends and the cookie is cleared.
    func logout(_ request: Request, _ context: ServerContext) async throws -> Response {
        guard let token = SessionCookie.token(of: request) else { throw APIError.unauthorized("User tidak terautentikasi: not logged in") }
        try await box.accounts.logout(token: token)
        var response = try Envelope<Empty>(message: "Logout successful").response()
        response.setCookie(cookie.clearing(for: request))
        return response
    }
}

/// Who logged in (the token travels only in the cookie).
struct LoggedIn: Encodable, Sendable {
    var id: String
    var email: String
    var role: String
    var expiresAt: Date

    init(_ session: LoginSession) {
        id = session.user.id
        email = session.user.email
        role = session.principal.role.rawValue
        expiresAt = session.expiresAt
    }

    enum CodingKeys: String, CodingKey { case id, email, role, expiresAt = "expires_at" }
}
