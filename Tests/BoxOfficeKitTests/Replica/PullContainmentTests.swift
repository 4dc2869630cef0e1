import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Nothing head office sends can stop a counter's pull: a feed row the store cannot apply is
/// quarantined as a conflict, with the row and the reason, and the rest of its page is applied.
struct PullContainmentTests {
    let fixture: SalesFixture

    init() throws {
        fixture = try SalesFixture()
    }

    static let stamp = "001700000000000-00000-central"

    static func movie(_ id: String, title: Any = "Fine") throws -> String {
        let object: [String: Any] = [
            "id": id, "title": title, "description": "", "duration_minutes": 100, "release_date": NSNull(), "genre": "",
            "rating": "", "poster_url": NSNull(), "director": "", "cast_members": [String](), "created_at": "2026-01-01 00:00:00.000",
            "updated_at": "2026-01-01 00:00:00.000", "deleted_at": NSNull(), "hlc": stamp,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func aRowThatCannotBeAppliedIsQuarantinedAndThePullGoesOn() async throws {
        let box = fixture.box
        var missingTitle = try JSONSerialization.jsonObject(with: Data(try Self.movie("m4").utf8)) as! [String: Any]
        missingTitle["title"] = nil
        let page = FeedPage(rows: [
            FeedRow(entity: "movies", entityID: "m1", operation: "insert", hlc: Self.stamp, payload: try Self.movie("m1")),
            FeedRow(entity: "movies", entityID: "m2", operation: "insert", hlc: Self.stamp, payload: #"{"id": "m2", "title": "#),
            FeedRow(entity: "movies", entityID: "m3", operation: "insert", hlc: Self.stamp, payload: #""a string""#),
            FeedRow(entity: "movies", entityID: "m4", operation: "insert", hlc: Self.stamp,
                    payload: String(decoding: try JSONSerialization.data(withJSONObject: missingTitle), as: UTF8.self)),
            FeedRow(entity: "movies", entityID: "m5", operation: "insert", hlc: Self.stamp, payload: try Self.movie("m5", title: 42)),
            FeedRow(entity: "movies", entityID: "m6", operation: "insert", hlc: Self.stamp, payload: try Self.movie("m6", title: "  ")),
            FeedRow(entity: "movies", entityID: "m7", operation: "insert", hlc: "not a stamp", payload: try Self.movie("m7")),
        ], cursor: "7:7", lag: 0)
        let pending = try await box.replica.state().pendingChanges
        let summary = try await box.replica.applyFeed(page)
        #expect(summary.received == 7)
        #expect(summary.quarantined == 5)
        #expect(try await box.replica.state().feedCursor == "7:7", "the pull moved on")
        let movies = try await box.read { db in try String.fetchAll(db, sql: "SELECT id FROM movies ORDER BY id") }
        #expect(movies.filter { $0.hasPrefix("m") } == ["m1", "m7"])

        let quarantined = try await box.replica.conflicts().filter { $0.kind == .quarantined }.sorted { $0.entityID < $1.entityID }
        #expect(quarantined.map(\.entityID) == ["m2", "m3", "m4", "m5", "m6"])
        #expect(quarantined.map(\.reason) == [
            "head office sent a row this counter cannot apply: its payload is not a JSON object",
            "head office sent a row this counter cannot apply: its payload is not a JSON object",
            "head office sent a row this counter cannot apply: its title is missing",
            "head office sent a row this counter cannot apply: its title is not text",
            "head office sent a row this counter cannot apply: the store's rules refuse it (CHECK constraint failed: length(trim(title)) > 0)",
        ])
        // The row is kept as it came, for whoever looks into it.
        guard case let .object(kept) = try #require(quarantined.first?.details) else {
            Issue.record("the quarantined row's details are no object")
            return
        }
        #expect(kept["payload"] == .string(#"{"id": "m2", "title": "#))
        #expect(quarantined.allSatisfy { $0.status == .open })
        #expect(try await box.replica.state().pendingChanges == pending, "nothing quarantined is pushed back")

        // The next page is applied as ever.
        let next = try await box.replica.applyFeed(FeedPage(rows: [
            FeedRow(entity: "movies", entityID: "m8", operation: "insert", hlc: Self.stamp, payload: try Self.movie("m8")),
        ], cursor: "8:8", lag: 0))
        #expect(next.quarantined == 0 && next.skipped == 0)
    }
}
