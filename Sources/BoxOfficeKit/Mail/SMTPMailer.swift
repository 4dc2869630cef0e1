import CCurlShim
import Dispatch
import Foundation

/// Sends mail over SMTP with libcurl: `smtp://` with STARTTLS (required, optional or off) or
/// `smtps://` with implicit TLS, AUTH PLAIN/LOGIN from the URL's user and password, and timeouts.
///
/// ```swift
/// let settings = try SMTPMailer.Configuration(
///     url: "smtp://mailer:secret@mail.example.com:587", startTLS: .required, from: "tickets@example.com")
/// try await SMTPMailer(configuration: settings).send(message)
/// ```
///
/// Each ``send(_:)`` opens its own connection on a dispatch thread, so a slow server never blocks
/// Swift's cooperative threads.
public struct SMTPMailer: Mailer {
    /// Where and how to connect.
    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Hands `message` to the server.
    ///
    /// - Throws: ``MailError/deliveryFailed(_:)`` with libcurl's reason (never the password).
    public func send(_ message: MailMessage) async throws {
        let configuration = configuration
        let data = MIMEMessage.compose(message, from: configuration.from)
        let recipient = message.recipient
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try Self.perform(configuration, recipient: recipient, data: data) })
            }
        }
    }

    /// libcurl's global state, set up once per process before the first handle.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    private static func perform(_ configuration: Configuration, recipient: String, data: Data) throws {
        guard globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw MailError.deliveryFailed("libcurl could not be initialised")
        }
        defer { curl_easy_cleanup(handle) }
        let recipients: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "<\(recipient)>")
        defer { curl_slist_free_all(recipients) }
        let source = UploadSource(Array(data))
        let sourcePointer = Unmanaged.passRetained(source)
        defer { sourcePointer.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            var options: [CURLcode] = [
                ccurl_setopt_string(handle, CURLOPT_URL, configuration.curlURL),
                ccurl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(configuration.fromAddress)>"),
                ccurl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients),
                ccurl_setopt_long(handle, CURLOPT_USE_SSL, configuration.curlUseSSL),
                ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(configuration.connectTimeout)),
                ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(configuration.timeout)),
                ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
                ccurl_setopt_long(handle, CURLOPT_UPLOAD, 1),
                ccurl_setopt_long(handle, CURLOPT_INFILESIZE_LARGE, Int(data.count)),
                ccurl_setopt_read_function(handle, uploadCallback),
                ccurl_setopt_pointer(handle, CURLOPT_READDATA, sourcePointer.toOpaque()),
                ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress),
            ]
            if let username = configuration.username {
                options.append(ccurl_setopt_string(handle, CURLOPT_USERNAME, username))
                options.append(ccurl_setopt_string(handle, CURLOPT_PASSWORD, configuration.password ?? ""))
            }
            if let loginOptions = configuration.loginOptions {
                options.append(ccurl_setopt_string(handle, CURLOPT_LOGIN_OPTIONS, loginOptions))
            }
            if let failed = options.first(where: { $0 != CURLE_OK }) { return failed }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw MailError.deliveryFailed("\(reason) (\(configuration.serverDescription), curl error \(code.rawValue))")
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int(duration.timeInterval * 1000))
    }
}

/// The bytes of one message, read by libcurl's upload callback on the thread that runs the transfer.
private final class UploadSource {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }
}

private let uploadCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer, size, count, userData in
    guard let buffer, let userData else { return 0 }
    let source = Unmanaged<UploadSource>.fromOpaque(userData).takeUnretainedValue()
    let length = min(size * count, source.bytes.count - source.offset)
    guard length > 0 else { return 0 }
    source.bytes.withUnsafeBufferPointer { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + source.offset, byteCount: length)
    }
    source.offset += length
    return length
}
