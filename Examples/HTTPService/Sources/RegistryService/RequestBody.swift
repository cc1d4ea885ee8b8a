import EventLog
import Foundation
import Hummingbird
import RegistryDomain

/// Reading a JSON request body into the library's types, each refusal naming the field and the rule.
enum RequestBody {
    /// The body as a JSON object (at most 64 KiB).
    static func object(_ request: Request) async throws -> [String: Any] {
        let buffer = try await request.body.collect(upTo: 64 << 10)
        let data = Data(buffer.readableBytesView)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw APIError(.badRequest, field: "body", rule: "json-object", "the body is not a JSON object")
        }
        return object
    }

    /// A citizen ID number field, checked (GB 11643).
    static func citizenID(_ body: [String: Any], field: String) throws -> CitizenID {
        guard let text = body[field] as? String else {
            throw APIError(.badRequest, field: field, rule: "required", "\(field) (a citizen ID number) is required")
        }
        do {
            return try CitizenID(text)
        } catch {
            throw APIError(.badRequest, field: field, rule: "\(error.code)", "\(Masking.mask(text)) is not a valid citizen ID number: \(error)")
        }
    }

    /// A field holding an event payload in its JSON form (docs/JSON-FORM.md), decoded by the library's types.
    static func decode<T: Decodable>(_: T.Type, from body: [String: Any], field: String) throws -> T {
        guard let value = body[field], JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value) else {
            throw APIError(.badRequest, field: field, rule: "required", "\(field) (a JSON object) is required")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, in: field)
        }
    }

    /// The field path and rule of a decoding failure. Values are never echoed (they may be personal): only the
    /// identifier errors, which mask them, are quoted.
    static func describe(_ error: DecodingError, in field: String) -> APIError {
        func path(_ keys: [any CodingKey]) -> String {
            ([field] + keys.map { $0.intValue.map { "\($0)" } ?? $0.stringValue }).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let c):
            return APIError(.badRequest, field: path(c.codingPath + [key]), rule: "required", "\(path(c.codingPath + [key])) is required")
        case .valueNotFound(_, let c):
            return APIError(.badRequest, field: path(c.codingPath), rule: "required", "\(path(c.codingPath)) must not be null")
        case .typeMismatch(let type, let c):
            return APIError(.badRequest, field: path(c.codingPath), rule: "type", "\(path(c.codingPath)) must be a \(type)")
        case .dataCorrupted(let c):
            if let identifier = c.underlyingError as? IdentifierError {
                return APIError(.badRequest, field: path(c.codingPath), rule: "\(identifier.code)", "\(path(c.codingPath)): \(identifier)")
            }
            return APIError(.badRequest, field: path(c.codingPath), rule: "invalid-value", "\(path(c.codingPath)) is not one of the values allowed")
        @unknown default:
            return APIError(.badRequest, field: field, rule: "invalid", "\(field) cannot be read")
        }
    }
}
