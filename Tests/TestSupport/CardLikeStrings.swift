/// The card-like strings of issue 15 and more of their kind: card numbers with every separator
/// people use, with an expiry or CVV after them, labelled expiries and CVVs alone, in other scripts'
/// digits. The kit's tests refuse each (`CardDataTests`); the sync tests search the store, the
/// change log, head office and receipts for each (`CardDataNowhereTests`).
public enum CardLikeStrings {
    public static let all = [
        "5500 0000 0000 0004", "4111.1111.1111.1111", "4111  1111  1111  1111", "4111/1111/1111/1111",
        "4111 - 1111 - 1111 - 1111", "4111_1111_1111_1111", "4111111111111111 12/27 123", "4111 1111 1111 1111 12/27",
        "EXP 12/27 CVV 123", "exp: 12/2027", "valid thru 12-27", "CVV2 456", "cvc 4567", "card 378282246310005",
        "Budi 4111111111111111", "Ref QR-4111-1111-1111-1111", "6011 0009 9013 9424", "3530111333300000",
        "４１１１１１１１１１１１１１１１",
    ]
}
