import EventLog

/// How the conformance suite gets stores of one backend.
public struct ConformanceHarness<Store: EventStore>: Sendable {
    /// Makes a new, empty store.
    public var make: @Sendable () async throws -> Store
    /// Closes a store and opens the same storage again; nil for a backend that keeps nothing (in memory).
    public var reopen: (@Sendable (Store) async throws -> Store)?

    /// Creates a harness.
    public init(make: @escaping @Sendable () async throws -> Store, reopen: (@Sendable (Store) async throws -> Store)? = nil) {
        self.make = make
        self.reopen = reopen
    }
}

/// The points of the ``EventStore`` contract, one test each, run by every backend:
///
/// ```swift
/// @Test(arguments: ConformanceCase.allCases)
/// func conformance(_ point: ConformanceCase) async throws {
///     try await EventStoreConformance(harness).run(point)
/// }
/// ```
public enum ConformanceCase: String, CaseIterable, Sendable, CustomTestStringConvertibleShim {
    case appendAndReadStream
    case readStreamBackward
    case streamVersionsAnswerAsReads
    case holdsEventsAnswersAsReads
    case expectedVersionConflicts
    case concurrentAppendersSameExpectedVersion
    case concurrentAppendersDistinctStreams
    case idempotentReappend
    case duplicateIDWithOtherContent
    case eventIDsAreUniqueAcrossStreams
    case textAndTimesEveryStoreKeeps
    case batchResultsAreIndependent
    case invalidInputAppendsNothing
    case readAllInBoundedBatches
    case readCategory
    case catchUpSubscriptionWhileWritersRun
    case categorySubscriptionFollowsLive
    case waitForAppendIsCancellable
    case hashChainVerifies
    case closedStoreRefusesAppends
    case reopenReadsEverythingBack

    /// Whether the point needs a store that persists across reopening.
    public var needsPersistence: Bool { self == .reopenReadsEverythingBack }

    public var testDescription: String { rawValue }
}

/// Stands in for Swift Testing's `CustomTestStringConvertible`, which a non-test module cannot name portably.
public protocol CustomTestStringConvertibleShim { var testDescription: String { get } }
