import CLibPQ

/// The PostgreSQL type OIDs this package sends and reads in binary form.
package enum PGType {
    /// `boolean`.
    package static let bool: Oid = 16
    /// `bytea`.
    package static let bytea: Oid = 17
    /// `bigint`.
    package static let int8: Oid = 20
    /// `smallint`.
    package static let int2: Oid = 21
    /// `integer`.
    package static let int4: Oid = 23
    /// `text`.
    package static let text: Oid = 25
    /// `jsonb` (binary form: version byte 1, then JSON text).
    package static let jsonb: Oid = 3802
    /// `timestamptz` (binary form: µs since 2000-01-01 UTC).
    package static let timestamptz: Oid = 1184
    /// `uuid` (binary form: the 16 bytes).
    package static let uuid: Oid = 2950
    /// `text[]`.
    package static let textArray: Oid = 1009
    /// `uuid[]`.
    package static let uuidArray: Oid = 2951

    /// Microseconds between the Unix epoch and PostgreSQL's, 2000-01-01T00:00:00Z.
    package static let postgresEpochOffsetMicroseconds: Int64 = 946_684_800_000_000
}
