import Crypto
import Foundation
import RegistryDomain

/// Deterministic event ids for facts recorded from a feed: a name-based UUID (version 5 layout, SHA-256 instead
/// of SHA-1) of the feed kind, the feed's name, the stream and what the fact says.
///
/// *Why:* the same feed compared twice, or a run resumed after a kill, proposes the same ids, so even a fact
/// proposed a second time is a no-op in the store (`wasAlreadyAppended`) rather than a duplicate.
public enum FeedEventID {
    /// The id of a fact.
    /// - Parameters:
    ///   - feed: the feed.
    ///   - stream: the stream's name (`person-…`, `employer-…`).
    ///   - fact: what the fact says, such as `SourceObservationRecorded|tax|employedAt|91…`.
    public static func make(feed: FeedDescription, stream: String, fact: String) -> UUID {
        var input = "coverage-registry-feed\u{0}"
        input.reserveCapacity(64 + feed.name.utf8.count + stream.utf8.count + fact.utf8.count)
        input += feed.kind.rawValue
        input += "\u{0}"
        input += feed.name
        input += "\u{0}"
        input += stream
        input += "\u{0}"
        input += fact
        let digest = input.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        var b = Array(digest.prefix(16))
        b[6] = (b[6] & 0x0F) | 0x50  // version 5 (name-based)
        b[8] = (b[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
