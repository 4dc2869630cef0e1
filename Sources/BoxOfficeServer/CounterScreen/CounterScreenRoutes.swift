import HTTPTypes
import Hummingbird

/// The counter screen at `/`: the page of `web/counter/`, embedded at build time, that staff sell
/// from in a browser. It calls `/v1` like any client and holds no rule of its own
/// (docs/counter-screen.md).
///
/// Every file is answered with a content security policy that lets the page load only itself: no
/// inline script, no other origin, no frame around it.
struct CounterScreenRoutes: Sendable {
    /// The files by the path they are served at, with their content types.
    static let files: [String: (type: String, body: String)] = {
        var files: [String: (String, String)] = [:]
        for file in EmbeddedCounterScreen.files {
            let type = switch file.name.split(separator: ".").last {
            case "html": "text/html; charset=utf-8"
            case "css": "text/css; charset=utf-8"
            default: "text/javascript; charset=utf-8"
            }
            files[file.name == "index.html" ? "/" : "/counter/\(file.name)"] = (type, file.text)
        }
        return files
    }()

    static let securityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

    func add(to router: Router<ServerContext>) {
        for (path, file) in Self.files {
            router.get(RouterPath(path)) { _, _ in
                Response(status: .ok, headers: [
                    .contentType: file.type,
                    .contentSecurityPolicy: Self.securityPolicy,
                    .xContentTypeOptions: "nosniff",
                    .cacheControl: "no-cache",
                    HTTPField.Name("Referrer-Policy")!: "no-referrer",
                ], body: ResponseBody(byteBuffer: ByteBuffer(string: file.body)))
            }
        }
    }
}
