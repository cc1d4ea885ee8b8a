import CLibPQ

/// The PostgreSQL type OIDs this package sends and reads in binary form.
public enum PGType {
    /// `boolean`.
    public static let bool: Oid = 16
    /// `bytea`.
    public static let bytea: Oid = 17
    /// `bigint`.
    public static let int8: Oid = 20
    /// `smallint`.
    public static let int2: Oid = 21
    /// `integer`.
    public static let int4: Oid = 23
    /// `text`.
    public static let text: Oid = 25
    /// `jsonb` (binary form: version byte 1, then JSON text).
    public static let jsonb: Oid = 3802
    /// `timestamptz` (binary form: µs since 2000-01-01 UTC).
    public static let timestamptz: Oid = 1184
    /// `uuid` (binary form: the 16 bytes).
    public static let uuid: Oid = 2950
    /// `text[]`.
    public static let textArray: Oid = 1009
    /// `uuid[]`.
    public static let uuidArray: Oid = 2951

    /// Microseconds between the Unix epoch and PostgreSQL's, 2000-01-01T00:00:00Z.
    public static let postgresEpochOffsetMicroseconds: Int64 = 946_684_800_000_000
}
