import EventLog
import Foundation
import Hummingbird
import RegistryDomain
import RegistryProjections

/// The registry as an HTTP service: surveyors post observations, reviewers post decisions, staff read the views,
/// which stay live from a subscription (``LiveProjection``). Every response masks personal data except an audited
/// reveal, which is recorded in the log before anything is shown.
///
/// | request | who | what |
/// | --- | --- | --- |
/// | `POST /observations` | surveyor (own grid) | records a visit (`SurveyObservationRecorded`) |
/// | `POST /reviews` | reviewer | records a decision (`SurveyReviewed`) at the reviewer's level |
/// | `GET /communities/{code}/worklist` | staff, surveyor (own grid) | the open survey tasks there |
/// | `GET /areas/{code}/coverage` | staff, surveyor (own grid) | coverage rows of the area |
/// | `GET /persons/{id}/history` | staff | the person's facts, masked |
/// | `POST /persons/{id}/reveal` | staff | the person's data in full, after recording who looked and why |
///
/// A `GET` may say `?after=N` (a position returned by a `POST`) to wait, up to 5 s, until the views include it.
public struct RegistryService<Store: EventStore>: Sendable {
    /// The log.
    public let store: Store
    /// The views, folded live.
    public let live: LiveProjection<RegistryFold>
    /// Bearer tokens and who they stand for.
    public let tokens: [String: Principal]

    /// Creates the service.
    public init(store: Store, live: LiveProjection<RegistryFold>, tokens: [String: Principal]) {
        self.store = store
        self.live = live
        self.tokens = tokens
    }

    /// The routes.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/observations") { request, context in try await self.postObservation(request, context) }
        router.post("/reviews") { request, context in try await self.postReview(request, context) }
        router.get("/communities/{code}/worklist") { request, context in try await self.worklist(request, context) }
        router.get("/areas/{code}/coverage") { request, context in try await self.coverage(request, context) }
        router.get("/persons/{id}/history") { request, context in try await self.history(request, context) }
        router.post("/persons/{id}/reveal") { request, context in try await self.reveal(request, context) }
        return router
    }

    // MARK: Writes

    struct Appended: Encodable {
        var position: UInt64
        var streamVersion: UInt64
    }

    func postObservation(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try authorize(request)
        guard case .surveyor = caller.role else {
            throw APIError(.forbidden, field: "Authorization", rule: "surveyors-only", "only surveyors record observations")
        }
        let body = try await RequestBody.object(request)
        let person = try RequestBody.citizenID(body, field: "person")
        let observation = try RequestBody.decode(SurveyObservationRecorded.self, from: body, field: "observation")
        // Area-scoped: the task must be one of the caller's grid (the live worklist knows where each task is).
        let key = PersonKey.key(StreamID.person(person))
        guard let task = live.current.worklist(at: .now).first(where: { $0.key == key && $0.state != .toDispatch }),
              let division = DivisionCode(padded: task.division) else {
            throw APIError(.conflict, field: "person", rule: "no-open-task", "\(person.masked) has no open survey task")
        }
        guard caller.maySee(division) else {
            throw APIError(.forbidden, field: "person", rule: "outside-grid", "the task of \(person.masked) is in \(division), outside your grid")
        }
        return try await append(.surveyObservationRecorded(observation), for: person, by: caller)
    }

    func postReview(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try authorize(request)
        guard case .reviewer(let level) = caller.role else {
            throw APIError(.forbidden, field: "Authorization", rule: "reviewers-only", "only reviewers record review decisions")
        }
        let body = try await RequestBody.object(request)
        let person = try RequestBody.citizenID(body, field: "person")
        let review = try RequestBody.decode(SurveyReviewed.self, from: body, field: "review")
        guard review.level == level else {
            throw APIError(.forbidden, field: "review.level", rule: "own-level", "you review at the \(level) level")
        }
        return try await append(.surveyReviewed(review), for: person, by: caller)
    }

    func append(_ event: RegistryEvent, for person: CitizenID, by caller: Principal) async throws -> Response {
        do {
            let result = try await CommandHandler(store: store).record(
                event, for: person, effective: .now, metadata: EventMetadata(actor: caller.actor))
            return try JSONResponse.make(
                Appended(position: result.positions.upperBound, streamVersion: result.streamVersion), status: .created)
        } catch let violation as RuleViolation {
            throw APIError(.unprocessableContent, field: "person", rule: "\(violation.rule)", "\(violation)")
        }
    }

    // MARK: Views

    struct Worklist: Encodable {
        var community: String
        var position: UInt64
        var entries: [WorklistEntry]
    }

    func worklist(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try authorize(request)
        let community = try area(context, level: .community)
        guard caller.maySee(community) else {
            throw APIError(.forbidden, field: "code", rule: "outside-grid", "community \(community) is outside your grid")
        }
        try await waitForViews(request)
        let view = live.current
        let entries = view.worklist(at: .now).filter { DivisionCode(padded: $0.division).map(community.contains) ?? false }
        return try JSONResponse.make(Worklist(community: community.value, position: view.position, entries: entries))
    }

    struct Coverage: Encodable {
        var area: String
        var position: UInt64
        var rows: [CoverageRow]
    }

    func coverage(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try authorize(request)
        let code = try area(context, level: nil)
        guard caller.maySee(code) else {
            throw APIError(.forbidden, field: "code", rule: "outside-grid", "area \(code) is outside your grid")
        }
        try await waitForViews(request)
        let view = live.current
        let rows = view.coverage(level: code.level, at: .now).filter { $0.area == code.value }
        return try JSONResponse.make(Coverage(area: code.value, position: view.position, rows: rows))
    }

    struct Fact: Encodable {
        var position: UInt64
        var type: String
        var effective: String
        var recorded: String
        var actor: String
        /// The payload's fields, every personal value masked.
        var detail: String
    }

    struct History: Encodable {
        var person: String
        var facts: [Fact]
    }

    func history(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try authorize(request)
        guard case .staff = caller.role else {
            throw APIError(.forbidden, field: "Authorization", rule: "staff-only", "only staff read a person's history")
        }
        let person = try citizenID(context)
        let events = try await store.readStream(StreamID.person(person))
        guard !events.isEmpty else { throw APIError(.notFound, field: "id", rule: "unknown-person", "no facts about \(person.masked)") }
        let facts = try events.map { e in
            Fact(position: e.position, type: e.type, effective: "\(e.effectiveTime)", recorded: "\(e.recordedTime)",
                 actor: e.metadata.actor, detail: try RegistryEvent.decode(e).description)
        }
        return try JSONResponse.make(History(person: person.masked, facts: facts))
    }

    struct Revealed: Encodable {
        var citizenID: String
        var name: String
        var phone: String?
        var hukouAddress: String
        var residenceAddress: String
    }

    func reveal(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try authorize(request)
        guard case .staff = caller.role else {
            throw APIError(.forbidden, field: "Authorization", rule: "staff-only", "only staff reveal personal data")
        }
        let person = try citizenID(context)
        let body = try await RequestBody.object(request)
        guard let reason = body["reason"] as? String, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError(.badRequest, field: "reason", rule: "required", "a reveal names its reason")
        }
        let events = try await store.readStream(StreamID.person(person))
        let registered = events.lazy.compactMap { e -> PersonRegistered? in
            if case .personRegistered(let p) = try? RegistryEvent.decode(e) { return p }
            return nil
        }.last
        guard let registered else { throw APIError(.notFound, field: "id", rule: "unknown-person", "no registration of \(person.masked)") }
        // Recorded first: nothing is shown unless the access is in the log.
        let full = try await PersonalDataAccess(store: store).reveal(registered, by: caller.actor, reason: reason)
        return try JSONResponse.make(Revealed(
            citizenID: full.citizenID, name: full.name, phone: full.phone,
            hukouAddress: full.hukouAddress, residenceAddress: full.residenceAddress))
    }

    // MARK: Helpers

    func authorize(_ request: Request) throws -> Principal {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, field: "Authorization", rule: "bearer-token-required", "send Authorization: Bearer <token>")
        }
        guard let principal = tokens[String(header.dropFirst(7))] else {
            throw APIError(.unauthorized, field: "Authorization", rule: "unknown-token", "the bearer token is not known")
        }
        return principal
    }

    func area(_ context: BasicRequestContext, level: DivisionCode.Level?) throws -> DivisionCode {
        let text = context.parameters.get("code") ?? ""
        guard let code = DivisionCode(validating: text) else {
            throw APIError(.badRequest, field: "code", rule: "division-code", "\(text) is not a division code (2 to 12 digits)")
        }
        if let level, code.level != level {
            throw APIError(.badRequest, field: "code", rule: "\(level)-code", "\(text) is not a \(level) code")
        }
        return code
    }

    func citizenID(_ context: BasicRequestContext) throws -> CitizenID {
        let text = context.parameters.get("id") ?? ""
        do {
            return try CitizenID(text)
        } catch {
            throw APIError(.badRequest, field: "id", rule: "\(error.code)", "\(Masking.mask(text)) is not a valid citizen ID number")
        }
    }

    /// `?after=N`: waits until the live views have folded position N (read your own writes).
    func waitForViews(_ request: Request) async throws {
        guard let text = request.uri.queryParameters.get("after") else { return }
        guard let position = UInt64(text) else {
            throw APIError(.badRequest, field: "after", rule: "position", "after takes a log position (a number)")
        }
        do {
            try await live.waitUntil(position: position, timeoutSeconds: 5)
        } catch {
            throw APIError(.serviceUnavailable, field: "after", rule: "views-behind", "the views have not reached position \(position) yet; retry")
        }
    }
}
