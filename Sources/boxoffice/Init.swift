import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice init`: creates (or migrates) the store.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the store (or bring an older one up to date).")

        @OptionGroup var options: StoreOptions

        func run() async throws {
            let box = try options.openStore()
            if options.json {
                try Output.json(["path": options.storePath, "node_id": box.nodeID])
            } else {
                print("Store ready at \(options.storePath) (node \(box.nodeID)).")
            }
        }
    }
}
