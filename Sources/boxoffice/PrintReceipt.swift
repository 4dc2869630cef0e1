import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice receipt`: prints a booking's receipt.
    struct PrintReceipt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "receipt",
            abstract: "Print the receipt of a booking.")

        @OptionGroup var options: StoreOptions

        @Argument(help: "The booking code, e.g. K7QX2M-0042.")
        var code: String

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .customer, toDo: "see a receipt")
            let receipt = try await box.sales.receipt(code: code, by: principal)
            if options.json { return try Output.json(receipt) }
            print(receipt.text)
        }
    }
}
