import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice payment-methods …`: list, enable and disable payment methods.
    struct PaymentMethods: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payment-methods",
            abstract: "List, enable and disable the ways customers pay.",
            subcommands: [List.self, Enable.self, Disable.self],
            defaultSubcommand: List.self)
    }
}

extension BoxOfficeCommand.PaymentMethods {
    /// `boxoffice payment-methods list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the payment methods in counter order.")

        @OptionGroup var options: StoreOptions
        @Flag(help: "Only the methods offered now.") var enabledOnly = false

        func run() async throws {
            let methods = try await options.openStore().catalog.paymentMethods(includingDisabled: !enabledOnly)
            if options.json { return try Output.json(list: methods) }
            Output.table(["CODE", "NAME", "KIND", "ENABLED"], methods.map {
                [$0.code, $0.name, $0.kind.rawValue, $0.enabled ? "yes" : "no"]
            })
        }
    }

    /// `boxoffice payment-methods enable CODE`.
    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Offer a payment method again (managers only).")

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp("The method, by code (ovo), name, a prefix of either, or id.", valueName: "method")) var code: String

        func run() async throws {
            try await setEnabled(true, code: code, options: options)
        }
    }

    /// `boxoffice payment-methods disable CODE`.
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop offering a payment method (managers only).")

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp("The method, by code (ovo), name, a prefix of either, or id.", valueName: "method")) var code: String

        func run() async throws {
            try await setEnabled(false, code: code, options: options)
        }
    }
}

private func setEnabled(_ enabled: Bool, code: String, options: StoreOptions) async throws {
    let box = try options.openStore()
    let manager = try await options.principal(of: box)
    let method = try await box.catalog.setPaymentMethod(code, enabled: enabled, by: manager)
    if options.json { return try Output.json(method) }
    print("\(method.name) is \(method.enabled ? "enabled" : "disabled").")
}
