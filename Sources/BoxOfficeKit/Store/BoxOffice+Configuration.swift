import Foundation
import Logging

extension BoxOffice {
    /// How a store behaves: timeouts, business limits, the clock and the logger.
    ///
    /// The defaults suit a cinema counter; tests move the clock.
    ///
    /// ```swift
    /// var configuration = BoxOffice.Configuration()
    /// configuration.holdDuration = .seconds(5 * 60)
    /// let box = try BoxOffice.open(path: "counter.sqlite", configuration: configuration)
    /// ```
    public struct Configuration: Sendable {
        /// How long a write waits for another process's write to finish before giving up.
        public var busyTimeout: Duration = .seconds(10)
        /// How long booked seats stay held for payment before they are free again.
        public var holdDuration: Duration = .seconds(10 * 60)
        /// The most seats one booking may hold.
        public var maximumSeatsPerBooking = 10
        /// The cleaning time added after a movie's duration to compute a showtime's end.
        public var cleaningBuffer: Duration = .seconds(15 * 60)
        /// How long a login session lasts without use; every use extends it by this much again.
        public var sessionLifetime: Duration = .seconds(24 * 60 * 60)
        /// The wall clock. Tests replace it to move time forward.
        public var clock: @Sendable () -> Date = { Date() }
        /// Where the kit logs; never receives a password, OTP, token or card data.
        public var logger = Logger(label: "BoxOfficeKit")
        /// Who may read and write the store's files: its user only (0600, the default), or its
        /// group too (0660). ``BoxOffice/open(path:configuration:ifMissing:)`` creates the files so and puts
        /// an existing store's files back to it.
        public var fileAccess: FileAccess = .owner
        /// The identity of the machine the store runs on, which a copied store does not carry along
        /// (``StoreOrigin``); tests give a store another machine.
        var machineIdentity: @Sendable () -> String? = { StoreOrigin.machineIdentity() }

        /// Creates the default configuration.
        public init() {}
    }
}

extension Duration {
    /// The duration in seconds, as `TimeInterval`, for date arithmetic.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
