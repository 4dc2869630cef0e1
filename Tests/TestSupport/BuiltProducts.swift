import Foundation

/// The executables `swift build` put beside the test bundle.
public enum BuiltProducts {
    /// The `boxoffice` binary of this build.
    public static let boxoffice: URL = {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("boxoffice").path) {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("boxoffice")
    }()

    /// The `boxoffice-bench` binary of this build, beside `boxoffice`.
    public static var boxofficeBench: URL {
        boxoffice.deletingLastPathComponent().appendingPathComponent("boxoffice-bench")
    }
}
