import Foundation
import Testing
@testable import BoxOfficeKit

struct SMTPConfigurationTests {
    typealias Settings = SMTPMailer.Configuration

    @Test func noURLMeansNoMailerAndMailStaysQueued() async throws {
        #expect(try await Settings.load(environment: [:], environmentFilePath: nil) == nil)
        #expect(try await Settings.load(environment: ["BOXOFFICE_MAIL_FROM": "a@example.com"], environmentFilePath: nil) == nil)
    }

    @Test func environmentVariablesConfigureTheMailer() async throws {
        let settings = try #require(try await Settings.load(environment: [
            "BOXOFFICE_SMTP_URL": "smtp://mailer:s%40cret@mail.example.com:587",
            "BOXOFFICE_SMTP_STARTTLS": "optional",
            "BOXOFFICE_MAIL_FROM": "Bioskop <tickets@example.com>",
        ], environmentFilePath: nil))
        #expect(settings.host == "mail.example.com")
        #expect(settings.port == 587)
        #expect(settings.username == "mailer")
        #expect(settings.password == "s@cret")
        #expect(settings.startTLS == .optional)
        #expect(settings.fromAddress == "tickets@example.com")
        #expect(settings.curlURL == "smtp://mail.example.com:587")
        #expect(!settings.description.contains("cret"))
    }

    @Test func aDotEnvFileAndAJSONFileAreRead_environmentFirst() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dotEnv = folder.appendingPathComponent(".env")
        try "# mail\nBOXOFFICE_SMTP_URL=smtps://relay.example.com\nBOXOFFICE_MAIL_FROM=env-file@example.com\n"
            .write(to: dotEnv, atomically: true, encoding: .utf8)
        let json = folder.appendingPathComponent("boxoffice.json")
        try #"{"BOXOFFICE_SMTP_URL": "smtp://json.example.com:2525", "BOXOFFICE_SMTP_STARTTLS": "off", "BOXOFFICE_MAIL_FROM": "json@example.com"}"#
            .write(to: json, atomically: true, encoding: .utf8)

        let fromFiles = try #require(try await Settings.load(environment: [:], environmentFilePath: dotEnv.path, jsonFilePath: json.path))
        #expect(fromFiles.implicitTLS)
        #expect(fromFiles.host == "relay.example.com")
        #expect(fromFiles.startTLS == .off)  // only the JSON file says
        #expect(fromFiles.fromAddress == "env-file@example.com")

        let fromJSON = try #require(try await Settings.load(environment: [:], environmentFilePath: nil, jsonFilePath: json.path))
        #expect(fromJSON.port == 2525)

        let overridden = try #require(try await Settings.load(
            environment: ["BOXOFFICE_MAIL_FROM": "process@example.com"], environmentFilePath: dotEnv.path, jsonFilePath: json.path))
        #expect(overridden.fromAddress == "process@example.com")

        await #expect(throws: MailError.self) {
            try await Settings.load(environment: [:], environmentFilePath: nil, jsonFilePath: folder.appendingPathComponent("missing.json").path)
        }
    }

    @Test func dotEnvValuesMayBeQuotedAsTheREADMEShows() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-quoted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dotEnv = folder.appendingPathComponent(".env")
        try """
            BOXOFFICE_SMTP_URL="smtp://127.0.0.1:2525"
            BOXOFFICE_SMTP_STARTTLS='off'
            BOXOFFICE_MAIL_FROM="Box Office <tickets@example.com>"

            """.write(to: dotEnv, atomically: true, encoding: .utf8)
        let settings = try #require(try await Settings.load(environment: [:], environmentFilePath: dotEnv.path))
        #expect(settings.host == "127.0.0.1" && settings.port == 2525)
        #expect(settings.startTLS == .off)
        #expect(settings.fromAddress == "tickets@example.com")
    }

    @Test(arguments: [
        (["BOXOFFICE_SMTP_URL": "http://mail.example.com", "BOXOFFICE_MAIL_FROM": "a@example.com"], "BOXOFFICE_SMTP_URL"),
        (["BOXOFFICE_SMTP_URL": "smtp://", "BOXOFFICE_MAIL_FROM": "a@example.com"], "BOXOFFICE_SMTP_URL"),
        (["BOXOFFICE_SMTP_URL": "smtp://mail.example.com:99999", "BOXOFFICE_MAIL_FROM": "a@example.com"], "BOXOFFICE_SMTP_URL"),
        (["BOXOFFICE_SMTP_URL": "smtp://mail.example.com", "BOXOFFICE_SMTP_STARTTLS": "sometimes", "BOXOFFICE_MAIL_FROM": "a@example.com"], "BOXOFFICE_SMTP_STARTTLS"),
        (["BOXOFFICE_SMTP_URL": "smtp://mail.example.com"], "BOXOFFICE_MAIL_FROM"),
        (["BOXOFFICE_SMTP_URL": "smtp://mail.example.com", "BOXOFFICE_MAIL_FROM": "not an address"], "BOXOFFICE_MAIL_FROM"),
    ])
    func badSettingsNameTheSetting(environment: [String: String], setting: String) async throws {
        do {
            _ = try await Settings.load(environment: environment, environmentFilePath: nil)
            Issue.record("accepted \(environment)")
        } catch let MailError.invalidSetting(name, _) {
            #expect(name == setting)
        }
    }
}
