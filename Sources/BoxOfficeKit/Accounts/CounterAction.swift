/// What the kit lets someone do with money and with other people's data at a counter: the action
/// rows of the ownership table (`schemas/permissions.csv`), enforced here, before anything is
/// written, so every front gets the same rules.
///
/// ```swift
/// try principal.require(.payAtCounter, owns: true)   // a customer: not allowed, cash is paid to a cashier
/// principal.may(.pay)                                // staff: true; a customer's payment is only submitted
/// ```
public enum CounterAction: String, Sendable, Hashable, CaseIterable {
    /// Pay by a counter-only method: cash, or a card on the EDC terminal.
    case payAtCounter = "pay_at_counter"
    /// Record a payment as paid: someone trusted saw the money.
    case pay
    /// Record a self-service payment whose reference nobody checked: submitted, not paid.
    case submitPayment = "submit_payment"
    /// Turn a submitted payment into a paid one.
    case confirmPayment = "confirm_payment"
    /// Cancel a paid booking, leaving a refund due for staff to settle.
    case requestRefund = "request_refund"
    /// Cancel a paid booking and return the money, or settle a refund due.
    case refund
    /// See the mail outbox: every recipient and subject.
    case listMail = "list"

    /// The kind of row the table lists the action under.
    public var entity: String { self == .listMail ? "mail_outbox" : "bookings" }

    /// Why someone the table refuses may not do it, in a cashier's words.
    var refusal: String {
        switch self {
        case .payAtCounter: "cash and card payments are taken at the counter, by a cashier"
        case .pay: "only staff may record a payment as received"
        case .submitPayment: "only a customer submits a payment for their own booking"
        case .confirmPayment: "only staff may confirm a submitted payment"
        case .requestRefund: "only a booking's customer asks for its refund"
        case .refund: "only staff may refund a booking"
        case .listMail: "only a manager may read the mail outbox"
        }
    }
}

extension Principal {
    /// What the ownership table grants this principal for `action`: `.no` for an action it does not list.
    public func grant(for action: CounterAction) -> OwnershipTable.Grant {
        OwnershipTable.standard.actionRow(entity: action.entity, action: action.rawValue)?.grants[actor] ?? .no
    }

    /// Whether this principal may do `action` to a row that is theirs (`owns`) or not.
    public func may(_ action: CounterAction, owns: Bool = false) -> Bool {
        switch grant(for: action) {
        case .yes: true
        case .own: owns
        case .no: false
        }
    }

    /// Throws ``AccountError/notAllowed(_:)`` unless the ownership table lets this principal do
    /// `action` to a row that is theirs (`owns`) or not.
    ///
    /// - Throws: ``AccountError/notAllowed(_:)``, in words that say who may.
    public func require(_ action: CounterAction, owns: Bool = false) throws(AccountError) {
        guard may(action, owns: owns) else { throw AccountError.notAllowed(action.refusal) }
    }
}
