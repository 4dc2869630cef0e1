import BoxOfficeKit
import Foundation
import Hummingbird

/// A request's JSON object, read as the old server's Go decoder read it: keys match exactly or,
/// failing that, case-insensitively (`Date` fills `date`), unknown keys are ignored, and a value
/// of the wrong JSON type is a bad body.
struct JSONBody: Sendable {
    let members: [String: JSONValue]

    /// Reads the body (at most ``BoxOfficeServer/Configuration/maximumBodySize`` bytes).
    ///
    /// - Throws: ``APIError`` 400 with `invalid` as its message when the body is not a JSON object;
    ///   Hummingbird's 413 when it is too large.
    static func read(_ request: Request, context: ServerContext, invalid: String = "Invalid JSON format") async throws -> JSONBody {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), case let .object(members) = value else {
            throw APIError(.badRequest, invalid)
        }
        return JSONBody(members: members)
    }

    /// The member named `key`, exactly or in another case.
    subscript(key: String) -> JSONValue? {
        if let exact = members[key] { return exact }
        return members.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
    }

    /// A string member; `nil` when absent or `null`.
    func string(_ key: String, invalid: String = "Invalid JSON format") throws(APIError) -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case let .string(text)?: return text
        default: throw APIError(.badRequest, invalid)
        }
    }

    /// An integer or string member, as text (`payment_method: 2` or `"qris"`).
    func idOrCode(_ key: String) throws(APIError) -> Reference? {
        switch self[key] {
        case nil, .null?: return nil
        case let .string(text)?: return .text(text)
        case let .number(number)?:
            guard number.rounded() == number, abs(number) < 1e15 else { throw APIError(.badRequest, "Invalid JSON format") }
            return .legacy(Int64(number))
        default: throw APIError(.badRequest, "Invalid JSON format")
        }
    }

    /// An array of integers or strings (`seatIds`).
    func references(_ key: String) throws(APIError) -> [Reference]? {
        switch self[key] {
        case nil, .null?: return nil
        case let .array(items)?:
            return try items.map { item throws(APIError) -> Reference in
                switch item {
                case let .string(text): return .text(text)
                case let .number(number) where number.rounded() == number && abs(number) < 1e15: return .legacy(Int64(number))
                default: throw APIError(.badRequest, "Invalid JSON format")
                }
            }
        default: throw APIError(.badRequest, "Invalid JSON format")
        }
    }

    /// An object member whose values are read as text, for ``PaymentDetails``.
    func textObject(_ key: String) throws(APIError) -> [String: String]? {
        switch self[key] {
        case nil, .null?: return nil
        case let .object(fields)?:
            return fields.mapValues(Self.text)
        default: throw APIError(.badRequest, "Invalid JSON format")
        }
    }

    /// A value as text: a number in full digits, so a card number sent as a number is still seen.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case let .bool(flag): return flag ? "true" : "false"
        case let .number(number): return number.rounded() == number && abs(number) < 1e21 ? String(format: "%.0f", number) : "\(number)"
        case let .string(text): return text
        case let .array(items): return items.map(text).joined(separator: " ")
        case let .object(members): return members.values.map(text).joined(separator: " ")
        }
    }
}

/// A row named in a body or path: an old integer id, or text (a kit id, a label, a code).
enum Reference: Sendable, Hashable {
    case legacy(Int64)
    case text(String)

    /// A path segment: digits are an old id.
    init(path: String) {
        if let number = Int64(path), number >= 0 { self = .legacy(number) } else { self = .text(path) }
    }
}
