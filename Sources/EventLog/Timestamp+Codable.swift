import Foundation

/// A timestamp's `Codable` form is its ISO 8601 text with microseconds in UTC (``Timestamp/description``), so view
/// rows encoded as JSON carry readable, exact instants.
extension Timestamp: Codable {
    /// Decodes ISO 8601 text.
    /// - Throws: `DecodingError.dataCorrupted` when the text is not an ISO 8601 time.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let t = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 time")
        }
        self = t
    }

    /// Encodes ISO 8601 text with microseconds, UTC.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
