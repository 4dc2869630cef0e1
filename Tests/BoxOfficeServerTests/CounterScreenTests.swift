import Foundation
import Testing
import TestSupport

/// The counter screen as the server serves it: the page and its two files from the binary itself,
/// locked to its own origin, and a client of documented `/v1` routes only. (What it does in a
/// browser is `scripts/counter_screen.py`'s, a phase of `make test`.)
@Suite(.serialized) struct CounterScreenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func source(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func thePageAndItsFilesAreServedFromTheBinaryLockedToItsOwnOrigin() async throws {
        try await ServerFixture.with { server in
            let client = server.client()
            for (path, type, file) in [("/", "text/html", "index.html"), ("/counter/counter.css", "text/css", "counter.css"),
                                       ("/counter/counter.js", "text/javascript", "counter.js")] {
                let answer = try await client.get(path)
                #expect(answer.status == 200, "\(path)")
                #expect(answer.headers["content-type"]?.hasPrefix(type) == true, "\(path): \(answer.headers)")
                #expect(String(decoding: answer.body, as: UTF8.self) == (try Self.source("web/counter/" + file)),
                        "\(path) is web/counter/\(file) as it is in the repository")
                let policy = answer.headers["content-security-policy"] ?? ""
                #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'")
                        && policy.contains("frame-ancestors 'none'"), "\(path): \(policy)")
                #expect(answer.headers["x-content-type-options"] == "nosniff")
            }
            #expect(try await client.get("/counter/other.js").status == 404)
            #expect(try await client.get("/counter/").status == 404)
        }
    }

    @Test func thePageLoadsNothingFromElsewhereAndHasNoInlineScriptOrStyle() throws {
        let page = try Self.source("web/counter/index.html")
        let script = try Self.source("web/counter/counter.js")
        let style = try Self.source("web/counter/counter.css")
        for (name, text) in [("index.html", page), ("counter.js", script), ("counter.css", style)] {
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"),
                    "web/counter/\(name) names another origin: a counter may be offline")
        }
        #expect(!page.contains(" style=") && !page.contains("<style") && !page.contains("onclick="), "inline style or handler")
        let scripts = page.components(separatedBy: "<script").dropFirst()
        #expect(scripts.count == 1 && scripts.allSatisfy { $0.hasPrefix(" src=\"/counter/") })
    }

    /// Every `/v1` path counter.js names (its `ROUTES`, the only place it writes one) is a path
    /// of the OpenAPI document, and it names every route it needs.
    @Test func thePageCallsOnlyDocumentedRoutes() throws {
        let script = try Self.source("web/counter/counter.js")
        let documented = Set(try Self.source("schemas/openapi.yaml").split(separator: "\n")
            .filter { $0.hasPrefix("  /v1/") }.map { String($0.dropFirst(2).dropLast()) })
        let called = Set(script.matches(of: #/"(/v1/[^"]*)"/#).map { String($0.output.1) })
        #expect(called.count == 17, "\(called.sorted())")
        #expect(called.isSubset(of: documented), "undocumented: \(called.subtracting(documented).sorted())")
        #expect(called.isSuperset(of: ["/v1/sales", "/v1/showtimes/{showtime}/seats", "/v1/bookings/{code}/receipt",
                                       "/v1/customers", "/v1/conflicts/{id}/resolution", "/v1/sync/status"]))
    }
}
