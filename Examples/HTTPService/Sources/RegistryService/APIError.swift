import Foundation
import Hummingbird

/// A refused request: the status, the field concerned and the rule it broke, in a JSON body
/// `{"error":{"field":…,"rule":…,"message":…}}`. Messages never carry personal data (IDs are masked).
public struct APIError: Error, Sendable, HTTPResponseError {
    public var status: HTTPResponse.Status
    /// The request field concerned (`person`, `observation.sex`, `Authorization`), if one.
    public var field: String?
    /// The rule broken, a stable code (`required`, `invalid-check-character`, `outside-grid`, …).
    public var rule: String
    /// What went wrong, for people.
    public var message: String

    public init(_ status: HTTPResponse.Status, field: String? = nil, rule: String, _ message: String) {
        self.status = status
        self.field = field
        self.rule = rule
        self.message = message
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var field: String?
            var rule: String
            var message: String
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(Body(error: .init(field: field, rule: rule, message: message)), status: status)
    }
}

/// JSON responses with sorted keys.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
