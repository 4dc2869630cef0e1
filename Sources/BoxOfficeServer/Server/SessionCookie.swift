import BoxOfficeKit
import Foundation
import HTTPTypes
import Hummingbird

/// The `session` cookie: the kit's session token, `HttpOnly`, `SameSite=Lax`, `Path=/`, 24 hours,
/// and `Secure` behind TLS (a proxy that sends `X-Forwarded-Proto: https`, trusted by
/// configuration) or when the server is told it is always behind TLS.
///
/// The token is not rotated on use, only extended: a new one comes with each login and
/// verification, so two requests a client has in flight with the same cookie both pass (the old
/// server's rotation on every request failed the second).
struct SessionCookie {
    static let name = "session"
    static let maxAge = 86_400

    let configuration: BoxOfficeServer.Configuration

    /// The cookie that carries `token`.
    func setting(_ token: String, for request: Request) -> Cookie {
        Cookie(name: Self.name, value: token, maxAge: Self.maxAge, path: "/", secure: isSecure(request),
               httpOnly: true, sameSite: .lax)
    }

    /// The cookie that clears the session on the client.
    func clearing(for request: Request) -> Cookie {
        Cookie(name: Self.name, value: "", maxAge: 0, path: "/", secure: isSecure(request), httpOnly: true, sameSite: .lax)
    }

    /// The token the request carries, if any.
    static func token(of request: Request) -> String? {
        guard let value = request.cookies[name]?.value, !value.isEmpty else { return nil }
        return value
    }

    func isSecure(_ request: Request) -> Bool {
        if configuration.secureCookies { return true }
        return configuration.trustForwardedProto && request.headers[.xForwardedProto]?.lowercased() == "https"
    }
}
