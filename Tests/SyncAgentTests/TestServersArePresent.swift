import Foundation
import Testing
import TestSupport

struct TestServersArePresent {
    /// CI sets BOXOFFICE_REQUIRE_TEST_SERVERS so that a broken test script fails loudly instead of
    /// quietly skipping every PostgreSQL test.
    @Test func postgresIsGivenWhenRequired() {
        let required = ProcessInfo.processInfo.environment["BOXOFFICE_REQUIRE_TEST_SERVERS"] == "1"
        #expect(!required || TestPostgres.isAvailable, "scripts/test.sh did not start PostgreSQL")
    }
}
