import Foundation

/// Writes a ``MailMessage`` as an RFC 5322 message: CRLF line endings, the headers a mail server
/// and a spam filter expect, and a `multipart/alternative` body with a plain-text and an HTML part.
///
/// Dot-stuffing (a line that starts with `.`) is left to libcurl, which does it while uploading.
enum MIMEMessage {
    static func compose(_ message: MailMessage, from: String) -> Data {
        let boundary = "=_boxoffice_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        var lines = [
            "Date: \(dateHeader(message.date))",
            "From: \(from)",
            "To: \(message.recipient)",
            "Subject: \(encodedHeader(message.subject))",
            "Message-ID: <\(message.messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "This is a message in MIME format.",
        ]
        for (type, body) in [("text/plain", message.text), ("text/html", message.html)] {
            let (encoding, content) = encodedBody(body)
            lines += ["", "--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: \(encoding)", ""]
            lines += content
        }
        lines += ["", "--\(boundary)--", ""]
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    /// `Tue, 25 Nov 2026 16:41:38 +0000`.
    static func dateHeader(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// The text as is when it is printable ASCII, else as an RFC 2047 encoded word; never a line break.
    static func encodedHeader(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) { return flat }
        return "=?UTF-8?B?\(Data(flat.utf8).base64EncodedString())?="
    }

    /// The body's lines, 7bit when it is short-lined ASCII, else base64 in 76-character lines.
    static func encodedBody(_ body: String) -> (encoding: String, lines: [String]) {
        let normalised = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = normalised.components(separatedBy: "\n")
        let plainASCII = normalised.unicodeScalars.allSatisfy { $0.isASCII && ($0.value >= 0x20 || $0 == "\n" || $0 == "\t") }
        if plainASCII && lines.allSatisfy({ $0.utf8.count <= 998 }) {
            return ("7bit", lines)
        }
        let encoded = Data(normalised.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString()
        var chunks: [String] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            chunks.append(String(rest.prefix(76)))
            rest = rest.dropFirst(76)
        }
        return ("base64", chunks)
    }
}
