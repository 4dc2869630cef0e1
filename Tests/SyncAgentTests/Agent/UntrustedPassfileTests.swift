import Foundation
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// A passfile that is a link, or that others could read, is never handed to libpq.
struct UntrustedPassfileTests {
    let directory: URL
    let box: BoxOffice
    let url = "postgresql://node_x@127.0.0.1:1/central"

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("passfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        box = try BoxOffice.open(path: directory.appendingPathComponent("counter.sqlite").path)
    }

    var passfilePath: String { box.path! + ".pgpass" }

    @Test func aPassfileThatIsALinkIsRefusedAndReplacedWhenANewURLComes() async throws {
        let target = directory.appendingPathComponent("elsewhere").path
        #expect(FileManager.default.createFile(atPath: target, contents: Data("*:*:*:*:planted\n".utf8), attributes: [.posixPermissions: 0o600]))
        try FileManager.default.createSymbolicLink(atPath: passfilePath, withDestinationPath: target)

        let error = await #expect(throws: PrivateFileError.self) { try await SyncAgent(box: box, centralURL: url).syncOnce() }
        #expect(error == .symbolicLink(path: passfilePath, remedy: NodeCredentials.remedy))
        #expect(try await box.replica.state().lastSyncError?.contains("symbolic link") == true)

        try await NodeCredentials(box: box).remember("postgresql://node_x:fresh@127.0.0.1:1/central")
        #expect(FileManager.default.contents(atPath: target) == Data("*:*:*:*:planted\n".utf8), "never written through")
        #expect(try FileManager.default.attributesOfItem(atPath: passfilePath)[.type] as? FileAttributeType == .typeRegular)
        #expect(try NodeCredentials(box: box).passfile?.read().map { String(decoding: $0, as: UTF8.self) }?.contains("fresh") == true)
    }

    @Test func aPassfileOthersCouldReadIsRefused() async throws {
        #expect(FileManager.default.createFile(atPath: passfilePath, contents: Data("*:*:*:*:pw\n".utf8), attributes: [.posixPermissions: 0o644]))
        let error = await #expect(throws: PrivateFileError.self) { try await SyncAgent(box: box, centralURL: url).syncOnce() }
        #expect(error == .readableByOthers(path: passfilePath, mode: 0o644, remedy: NodeCredentials.remedy))
        #expect(error?.description.contains("boxoffice sync --central -") == true)
    }

    @Test func aURLWithItsOwnPasswordNeedsNoPassfile() async throws {
        #expect(FileManager.default.createFile(atPath: passfilePath, contents: Data("*:*:*:*:pw\n".utf8), attributes: [.posixPermissions: 0o644]))
        let error = await #expect(throws: PostgresError.self) {
            try await SyncAgent(box: box, centralURL: "postgresql://node_x:own@127.0.0.1:1/central").syncOnce()
        }
        #expect(error?.isConnectionFailure == true, "it went to head office (which is not there), the passfile unread")
    }

    @Test func aStoreInMemoryKeepsTheURLWithoutItsPassword() async throws {
        let memory = try BoxOffice.inMemory()
        let credentials = NodeCredentials(box: memory)
        #expect(credentials.passfile == nil)
        try await credentials.remember("postgresql://node_x:s3cret@hq.example/central")
        #expect(try await memory.replica.state().centralURL == "postgresql://node_x@hq.example/central")
    }
}
