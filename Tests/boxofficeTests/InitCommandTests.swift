import Foundation
import Testing

struct InitCommandTests {
    @Test func initCreatesTheStoreAndReportsItsNode() throws {
        let cli = try CLIRunner()
        let result = try cli.run(["init", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String]
        #expect(object?["path"] == cli.storePath)
        #expect(object?["node_id"]?.count == 36)
        #expect(FileManager.default.fileExists(atPath: cli.storePath))
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try CLIRunner().run(["init", "--no-such-option"])
        #expect(result.status == 64)
    }
}
