/// Why a simulation could not run (a violation of the promise is no error: the checker reports it).
public enum SimulationError: Error, Sendable, CustomStringConvertible {
    /// Head office, a counter or a proxy could not be set up.
    case setup(String)
    /// A program the harness runs could not be started.
    case program(String)

    public var description: String {
        switch self {
        case let .setup(message): "the simulation could not be set up: \(message)"
        case let .program(message): "a program could not be run: \(message)"
        }
    }
}
