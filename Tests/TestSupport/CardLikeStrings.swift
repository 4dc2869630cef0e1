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

    /// What only looks like card data, all accepted: Indonesian phones, virtual-account numbers,
    /// QRIS and EDC references, addresses, dates and numbers that fail the Luhn check or a prefix.
    public static let lookalikes = [
        "+62 812-3456-7890", "+6281234567890", "0812-3456-7890", "8808 1234 5678 9012", "8277 0812 3456 7890",
        "7001 2345 6789 0123", "QRIS.ID.20261201.000123", "ID1020012345678", "EDC-APPR 004211", "TID 12345678 RRN 123456789012",
        "Jl. Braga No. 12 RT 05/RW 03 Bandung 40111", "RT 05/RW 03", "4111111111111112", "Sari 2026-11-25 19:30",
        "Expedition 1227", "Studio 12", "expo 12/27",
    ]
}
