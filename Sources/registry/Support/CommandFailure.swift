import ArgumentParser
import Foundation
import EventLog
import RegistryDomain
import RegistryComparison
import RegistryProjections

/// Why a command failed, as one line for people: what went wrong, where, and what to do.
///
/// Every error a command meets is turned into one of these by ``init(describing:store:)`` and printed as
/// `registry: error: <what> (<where>); <what to do>` on standard error, with the exit status of ``ExitStatus``:
/// never a stack trace.
///
/// - Important: Messages carry no personal data: citizen IDs and streams appear masked, as the underlying errors
///   print them.
struct CommandFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    var what: String
    /// Where: a store, a file, a line.
    var place: String?
    /// What to do about it.
    var fix: String?
    /// The exit status (sysexits).
    var status: ExitStatus

    /// Creates a failure.
    init(_ what: String, at place: String? = nil, fix: String? = nil, status: ExitStatus = .software) {
        self.what = what
        self.place = place
        self.fix = fix
        self.status = status
    }

    /// `<what> (<where>); <what to do>`.
    var description: String {
        // Scrubbed: no run of digits from the input (an ID, a phone) survives, whatever an error carried.
        var text = Masking.scrubbed(what)
        if let place { text += " (\(place))" }
        if let fix { text += "; \(fix)" }
        // One line, whatever the underlying messages hold (libpq's span lines).
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// Describes any error a command can meet.
    /// - Parameters:
    ///   - error: the error.
    ///   - store: the store the command worked on, named as the place of store errors.
    init(describing error: any Error, store: StoreLocation?) {
        let place = store?.description
        switch error {
        case let failure as CommandFailure:
            self = failure
        case let e as EventLogError:
            self.init(eventLog: e, store: store)
        case let e as IdentifierError:
            self.init("invalid identifier: \(e)", fix: "give an 18-character citizen ID number (公民身份号码)")
        case let e as RuleViolation:
            self.init("refused by the registry rules: \(e)", at: place)
        case let e as EventFormatError:
            self.init("an event cannot be read: \(e)", at: place,
                      fix: "the store may hold events of a newer version; run `registry verify` to check it")
        case let e as ProjectionError:
            self.init("\(e)", at: place,
                      fix: "the store may hold events of a newer version; run `registry verify` to check it")
        case let e as ComparisonError:
            self.init(Self.comparisonMessage(e), fix: Self.comparisonFix(e))
        case is CancellationError:
            self.init("cancelled", at: place)
        default:
            self.init("unexpected error: \(String(describing: error))", at: place)
        }
        status = ExitStatus(for: error, store: store)
    }

    /// Describes an event-log error with what to do for its code.
    init(eventLog e: EventLogError, store: StoreLocation?) {
        let place = store?.description
        let verify = "run `registry verify --store \(place ?? "DIR")` to see how far the log is intact"
        switch e.code {
        case .storeLocked:
            self.init("the store is in use by another writing process", at: place,
                      fix: "wait for it to finish or stop it (read-only views can run alongside it)")
        case .corruptRecord, .hashChainBroken:
            self.init("the store is damaged: \(e)", at: place,
                      fix: verify + (store.map { if case .directory = $0 { true } else { false } } == true
                          ? ", then `registry repair` to set the damaged part aside" : ""))
        case .storeNotFound:
            self.init("no store found: \(e.message)", at: place,
                      fix: "give --store (or REGISTRY_STORE) a store directory or a PostgreSQL connection string, or create one with `registry import` or `registry demo` (`registry migrate` for an empty PostgreSQL store)")
        case .unsupportedFormat:
            self.init("the store has a format this version does not read: \(e)", at: place,
                      fix: "use the version of registry that wrote it")
        case .unavailable:
            self.init("the PostgreSQL server cannot be reached: \(e)", at: place,
                      fix: "check that the server runs, the host and port, and the network; then retry")
        case .permissionDenied:
            self.init("permission denied: \(e)", at: place,
                      fix: "views need SELECT on the log's tables; import and migrate need a role that may write")
        case .ioFailure:
            if case .postgres = store {
                self.init("the PostgreSQL store cannot be used: \(e)", at: place,
                          fix: "check that the server runs and the connection string (user, password, database)")
            } else {
                self.init("the store cannot be read or written: \(e)", at: place,
                          fix: "check the directory, its permissions and free space")
            }
        case .readOnly:
            self.init("the store is open read-only: \(e)", at: place)
        default:
            self.init("\(e)", at: place)
        }
        status = ExitStatus(eventLog: e, store: store)
    }

    /// Runs a command's body, printing a failure as one line on standard error and exiting with its
    /// ``ExitStatus``.
    ///
    /// ArgumentParser's own exits (``ExitCode``, `CleanExit`, validation errors) pass through unchanged.
    static func reporting(store: StoreLocation?, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let usage as ValidationError {
            throw usage
        } catch {
            let failure = CommandFailure(describing: error, store: store)
            Terminal.error(failure.description)
            throw failure.status.exitCode
        }
    }
}
