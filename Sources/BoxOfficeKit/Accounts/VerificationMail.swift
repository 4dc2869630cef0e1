import Foundation

/// The mail that carries a verification code, in plain text and HTML.
///
/// The subject carries no code: subjects are stored unsealed in the outbox.
enum VerificationMail {
    static let subject = "Your BoxOffice verification code"

    static func text(name: String, code: String, validMinutes: Int) -> String {
        """
        Hello \(name),

        Your verification code is \(code)

        Enter it to finish creating your account. It works for \(validMinutes) minutes.
        If you did not register, ignore this mail: nothing happens without the code.
        """
    }

    static func html(name: String, code: String, validMinutes: Int) -> String {
        """
        <!DOCTYPE html>
        <html><body style="font-family: sans-serif">
        <p>Hello \(escaped(name)),</p>
        <p>Your verification code is <strong style="font-size: 1.5em; letter-spacing: 0.2em">\(code)</strong></p>
        <p>Enter it to finish creating your account. It works for \(validMinutes) minutes.<br>
        If you did not register, ignore this mail: nothing happens without the code.</p>
        </body></html>
        """
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
