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

    /// The server scripts/postgres.sh starts makes nodes log in with their passwords, so the tests of
    /// a counter's credentials (URL, passfile) prove something; scripts/test.sh sets
    /// BOXOFFICE_REQUIRE_PASSWORD_AUTH so that CI cannot lose that quietly.
    @Test func postgresAsksNodesForTheirPasswordsWhenRequired() {
        let required = ProcessInfo.processInfo.environment["BOXOFFICE_REQUIRE_PASSWORD_AUTH"] == "1"
        #expect(!required || TestPostgres.requiresPasswords, "the test PostgreSQL trusts every role: see scripts/postgres.sh")
    }
}
