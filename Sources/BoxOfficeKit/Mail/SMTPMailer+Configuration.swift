import CCurlShim
import Configuration
import Foundation
import SystemPackage

extension SMTPMailer {
    /// Where the mail server is, how to secure and authenticate, and who the mail is from.
    ///
    /// Read it from the environment with ``load(environment:environmentFilePath:jsonFilePath:)``
    /// (settings `BOXOFFICE_SMTP_URL`, `BOXOFFICE_SMTP_STARTTLS`, `BOXOFFICE_MAIL_FROM`), or make one:
    ///
    /// ```swift
    /// let settings = try SMTPMailer.Configuration(
    ///     url: "smtps://mailer:secret@mail.example.com:465", from: "Bioskop <tickets@example.com>")
    /// ```
    ///
    /// Its `description` never shows the password.
    public struct Configuration: Sendable, Hashable, CustomStringConvertible {
        /// Whether `smtp://` connections must, may or must not switch to TLS with STARTTLS.
        public enum StartTLS: String, Sendable, Hashable, CaseIterable {
            /// Refuse to send unless the server supports STARTTLS (`CURLUSESSL_ALL`).
            case required
            /// Use STARTTLS when the server offers it, else send in the clear (`CURLUSESSL_TRY`).
            case optional
            /// Never use STARTTLS (`CURLUSESSL_NONE`), e.g. for a relay on the same host.
            case off
        }

        /// The setting names, as environment variables, `.env` lines or JSON keys.
        public static let urlSetting = "BOXOFFICE_SMTP_URL"
        /// The STARTTLS setting's name.
        public static let startTLSSetting = "BOXOFFICE_SMTP_STARTTLS"
        /// The sender setting's name.
        public static let fromSetting = "BOXOFFICE_MAIL_FROM"

        /// `true` for `smtps://` (TLS from the first byte), `false` for `smtp://`.
        public var implicitTLS: Bool
        /// The server's host name or address.
        public var host: String
        /// The port; libcurl's default (25 for smtp, 465 for smtps) when `nil`.
        public var port: Int?
        /// The AUTH user, from the URL's user info.
        public var username: String?
        /// The AUTH password, from the URL's user info.
        public var password: String?
        /// libcurl login options such as `AUTH=PLAIN` (from `user;AUTH=PLAIN:pass@` in the URL).
        public var loginOptions: String?
        /// STARTTLS for `smtp://`; ignored for `smtps://`, which is always TLS.
        public var startTLS: StartTLS
        /// The `From` header, `tickets@example.com` or `Name <tickets@example.com>`.
        public var from: String
        /// The address in ``from``, used as the envelope sender.
        public var fromAddress: String
        /// How long connecting (TCP and TLS) may take.
        public var connectTimeout: Duration = .seconds(10)
        /// How long a whole delivery may take.
        public var timeout: Duration = .seconds(60)

        /// Makes a configuration from a URL `smtp://[user:pass@]host[:port]` or `smtps://…`.
        ///
        /// - Parameters:
        ///   - url: The server; user and password are percent-decoded.
        ///   - startTLS: STARTTLS policy for `smtp://` (`.required` unless told otherwise).
        ///   - from: The sender, `address` or `Name <address>`, in ASCII.
        /// - Throws: ``MailError/invalidSetting(name:reason:)`` naming the bad setting.
        public init(url: String, startTLS: StartTLS = .required, from: String) throws(MailError) {
            let urlError = { (reason: String) in MailError.invalidSetting(name: Self.urlSetting, reason: reason) }
            guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)),
                  let scheme = components.scheme?.lowercased()
            else { throw urlError("must look like smtp://user:password@host:587 or smtps://host:465") }
            guard scheme == "smtp" || scheme == "smtps" else { throw urlError("must start with smtp:// or smtps://, not \(scheme)://") }
            guard let host = components.host, !host.isEmpty else { throw urlError("names no host") }
            if let port = components.port, !(1...65535).contains(port) { throw urlError("port \(port) is out of range") }
            guard components.query == nil, components.fragment == nil, (components.path.isEmpty || components.path == "/") else {
                throw urlError("must have nothing after host:port")
            }
            implicitTLS = scheme == "smtps"
            self.host = host
            port = components.port
            if let rawUser = components.percentEncodedUser, !rawUser.isEmpty {
                let parts = rawUser.split(separator: ";", maxSplits: 1).map(String.init)
                username = parts[0].removingPercentEncoding ?? parts[0]
                loginOptions = parts.count > 1 ? parts[1].removingPercentEncoding : nil
                password = components.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 }
            }
            self.startTLS = startTLS

            let trimmedFrom = from.trimmingCharacters(in: .whitespaces)
            let fromError = MailError.invalidSetting(
                name: Self.fromSetting, reason: "must be an address like tickets@example.com or Name <tickets@example.com>")
            guard trimmedFrom.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) else { throw fromError }
            var address = trimmedFrom
            if let open = trimmedFrom.lastIndex(of: "<"), trimmedFrom.hasSuffix(">") {
                address = String(trimmedFrom[trimmedFrom.index(after: open)..<trimmedFrom.index(before: trimmedFrom.endIndex)])
            }
            do {
                fromAddress = try AccountInput.email(address)
            } catch {
                throw fromError
            }
            self.from = trimmedFrom
        }

        /// `smtp://host:port` without the user info, as libcurl connects to it.
        var curlURL: String {
            let bracketed = host.contains(":") ? "[\(host)]" : host
            return "\(implicitTLS ? "smtps" : "smtp")://\(bracketed)\(port.map { ":\($0)" } ?? "")"
        }

        /// The server as error messages name it: never with the password.
        var serverDescription: String { curlURL }

        var curlUseSSL: Int {
            if implicitTLS { return Int(CURLUSESSL_ALL.rawValue) }
            switch startTLS {
            case .required: return Int(CURLUSESSL_ALL.rawValue)
            case .optional: return Int(CURLUSESSL_TRY.rawValue)
            case .off: return Int(CURLUSESSL_NONE.rawValue)
            }
        }

        public var description: String {
            let user = username.map { "\($0):***@" } ?? ""
            return "\(implicitTLS ? "smtps" : "smtp")://\(user)\(host)\(port.map { ":\($0)" } ?? "") starttls=\(startTLS.rawValue) from=\(from)"
        }

        /// A value without the one pair of quotes around it that a `.env` line may have
        /// (`BOXOFFICE_MAIL_FROM="Box Office <tickets@example.com>"`), as shells and dotenv read it.
        static func unquoted(_ value: String) -> String {
            let text = value.trimmingCharacters(in: .whitespaces)
            guard text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first else { return text }
            return String(text.dropFirst().dropLast())
        }

        /// Reads the mail settings with swift-configuration, first found wins: the process
        /// environment, then a `.env` file (a value may be in quotes), then a JSON file (keys as the variable names:
        /// `{"BOXOFFICE_SMTP_URL": "smtp://…", "BOXOFFICE_SMTP_STARTTLS": "off", "BOXOFFICE_MAIL_FROM": "…"}`).
        ///
        /// ```swift
        /// if let settings = try await SMTPMailer.Configuration.load() {
        ///     _ = try await box.mail.deliverDue(using: SMTPMailer(configuration: settings))
        /// }
        /// ```
        ///
        /// - Parameters:
        ///   - environment: The variables to read; the process environment by default.
        ///   - environmentFilePath: A `.env` file, skipped when it does not exist.
        ///   - jsonFilePath: A JSON file, if any; it must exist when given.
        /// - Returns: The configuration, or `nil` when `BOXOFFICE_SMTP_URL` is not set (mail then
        ///   stays queued).
        /// - Throws: ``MailError/invalidSetting(name:reason:)`` for a bad or missing setting,
        ///   ``MailError/cannotReadSettings(_:)`` for an unreadable file.
        public static func load(
            environment: [String: String] = ProcessInfo.processInfo.environment,
            environmentFilePath: String? = ".env",
            jsonFilePath: String? = nil
        ) async throws -> Configuration? {
            var providers: [any ConfigProvider] = [
                EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific([urlSetting]))
            ]
            do {
                if let environmentFilePath {
                    providers.append(try await EnvironmentVariablesProvider(
                        environmentFilePath: FilePath(environmentFilePath), allowMissing: true,
                        secretsSpecifier: .specific([urlSetting])))
                }
                if let jsonFilePath {
                    providers.append(try await FileProvider<JSONSnapshot>(
                        parsingOptions: JSONSnapshot.ParsingOptions(secretsSpecifier: .specific([urlSetting])),
                        filePath: FilePath(jsonFilePath)))
                }
            } catch {
                throw MailError.cannotReadSettings(String(describing: error))
            }
            let reader = ConfigReader(providers: providers)
            guard let url = reader.string(forKey: ConfigKey([urlSetting]), isSecret: true).map(unquoted),
                  !url.trimmingCharacters(in: .whitespaces).isEmpty
            else { return nil }
            let startTLSText = unquoted(reader.string(forKey: ConfigKey([startTLSSetting]), default: StartTLS.required.rawValue))
            guard let startTLS = StartTLS(rawValue: startTLSText.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw MailError.invalidSetting(name: startTLSSetting, reason: "must be required, optional or off, not \(startTLSText)")
            }
            guard let from = reader.string(forKey: ConfigKey([fromSetting])).map(unquoted), !from.isEmpty else {
                throw MailError.invalidSetting(name: fromSetting, reason: "must be set when \(urlSetting) is set")
            }
            return try Configuration(url: url, startTLS: startTLS, from: from)
        }
    }
}
