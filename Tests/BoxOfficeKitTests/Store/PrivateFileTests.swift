import Foundation
import Testing
@testable import BoxOfficeKit

/// A file holding a secret is written 0600, never through a link, and read only when it is a plain
/// file of this user that no one else could read.
struct PrivateFileTests {
    let directory: URL
    let file: PrivateFile
    static let remedy = "remove it and log in again"

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("private-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        file = PrivateFile(path: directory.appendingPathComponent("store.sqlite.session").path, remedy: Self.remedy)
    }

    private func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func aWrittenFileIsMode0600AndReadsBack() throws {
        #expect(try file.read() == nil, "no file yet")
        try file.write(Data("token-1\n".utf8))
        #expect(try mode(file.path) == 0o600)
        #expect(try file.read() == Data("token-1\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["store.sqlite.session"],
                "no temporary file is left behind")
        #expect(file.remove())
        #expect(try file.read() == nil)
    }

    @Test func aFileOthersCouldReadIsReplacedByAPrivateOne() throws {
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
        try file.write(Data("new".utf8))
        #expect(try mode(file.path) == 0o600)
        #expect(try file.read() == Data("new".utf8))
    }

    @Test func aLinkAtThePathIsReplacedNeverWrittenThrough() throws {
        let target = directory.appendingPathComponent("somebody-elses-file").path
        #expect(FileManager.default.createFile(atPath: target, contents: Data("theirs".utf8)))
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: target)

        #expect(throws: PrivateFileError.symbolicLink(path: file.path, remedy: Self.remedy)) { try file.read() }
        try file.write(Data("mine".utf8))
        #expect(FileManager.default.contents(atPath: target) == Data("theirs".utf8), "the link's target is untouched")
        let type = try FileManager.default.attributesOfItem(atPath: file.path)[.type] as? FileAttributeType
        #expect(type == .typeRegular)
        #expect(try file.read() == Data("mine".utf8))
    }

    @Test func aFileOthersCouldReadIsRefusedButCanBeReadToEndWhatItGrants() throws {
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data("token".utf8), attributes: [.posixPermissions: 0o640]))
        let error = #expect(throws: PrivateFileError.self) { try file.read() }
        #expect(error == .readableByOthers(path: file.path, mode: 0o640, remedy: Self.remedy))
        #expect(error?.kind == .unauthorized)
        #expect(error?.description == "\(file.path) could be read by other users of this machine (mode 0640): remove it and log in again")
        #expect(try file.readExposed() == Data("token".utf8))
    }

    @Test func aFolderOrAPipeIsNoPrivateFile() throws {
        try FileManager.default.createDirectory(atPath: file.path, withIntermediateDirectories: false)
        #expect(throws: PrivateFileError.notAFile(path: file.path, remedy: Self.remedy)) { try file.read() }
        try FileManager.default.removeItem(atPath: file.path)
        #expect(mkfifo(file.path, 0o600) == 0)
        #expect(throws: PrivateFileError.notAFile(path: file.path, remedy: Self.remedy)) { try file.read() }
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give a file to another user"))
    func anotherUsersFileIsRefused() throws {
        try file.write(Data("token".utf8))
        #expect(chown(file.path, 65534, 65534) == 0)
        #expect(throws: PrivateFileError.ownedByAnotherUser(path: file.path, owner: 65534, remedy: Self.remedy)) { try file.read() }
        #expect(throws: PrivateFileError.ownedByAnotherUser(path: file.path, owner: 65534, remedy: Self.remedy)) { try file.readExposed() }
    }

    @Test func aFolderThatCannotTakeTheFileSaysSo() throws {
        let nowhere = PrivateFile(path: directory.appendingPathComponent("missing/x.session").path, remedy: Self.remedy)
        let error = #expect(throws: PrivateFileError.self) { try nowhere.write(Data("x".utf8)) }
        #expect(error == .cannotWrite(path: nowhere.path, reason: "No such file or directory"))
        #expect(error?.kind == .storeUnusable)
    }
}
