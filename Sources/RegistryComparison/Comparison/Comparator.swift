import EventLog
import RegistryDomain

/// Decides, row by row, what a feed adds to what the registry knows: the comparison itself, with no I/O.
///
/// Given a checked row and the ``RegistryKnowledge`` (updated as it decides, so a person listed twice is
/// compared against the first row's result), it returns the facts to append to the person's (or employer's)
/// stream with the version they expect, or that nothing is new, or why the row cannot be recorded.
public struct Comparator: Sendable {
    /// The feed compared.
    public let feed: FeedDescription
    /// The persons the feed listed so far (bits by knowledge index), for ``endings(in:)``.
    public private(set) var seen: [UInt64] = []

    /// The feed's metadata without the line, made once.
    private let base: EventMetadata

    /// A comparator for one feed.
    public init(feed: FeedDescription) {
        self.feed = feed
        base = feed.baseMetadata()
    }

    /// Facts to append to one stream, from one row (or, for endings, from none).
    public struct Append: Sendable {
        /// The stream.
        public var stream: StreamID
        /// The version the stream must be at.
        public var expected: ExpectedVersion
        /// The facts, with deterministic ids and the feed's provenance.
        public var events: [ProposedEvent]
        /// The row's line (nil for an ending).
        public var line: Int?
        /// The person's index in the knowledge (nil for an employer).
        public var person: Int?
    }

    /// What a row came to.
    public enum Outcome: Sendable {
        /// A person with no stream before: their first facts.
        case newPerson(Append)
        /// An employer not registered before.
        case newEmployer(Append)
        /// A known person or employer, with something new.
        case changed(Append)
        /// A known person or employer, nothing new.
        case unchanged
        /// Not recorded.
        case rejected(RowRejection)
    }

    /// Compares one row.
    public mutating func compare(_ record: FeedRecord, line: Int, knowledge: inout RegistryKnowledge) -> Outcome {
        switch record {
        case .employer(let e):
            if knowledge.knownEmployers[e.creditCode] != nil { return .unchanged }
            let stream = e.creditCode.streamID
            let event = RegistryEvent.employerRegistered(e)
            knowledge.setEmployer(e.creditCode, version: 0)
            return .newEmployer(Append(
                stream: stream, expected: .noStream,
                events: [propose(event, stream: stream.rawValue, fact: "EmployerRegistered", effective: nil, line: line)],
                line: line, person: nil))
        case .person(let id, let row):
            return compare(id, row, line: line, knowledge: &knowledge)
        }
    }

    private mutating func compare(_ id: CitizenID, _ row: PersonRow, line: Int, knowledge: inout RegistryKnowledge) -> Outcome {
        let i = knowledge.indexAdding(id.leadingDigits)
        markSeen(i)
        let before = knowledge[i]
        if before.flags & KnownPerson.Flags.conflicted != 0 {
            return .rejected(RowRejection(line: line, .conflict, "an earlier append for this person failed in this run; re-run the feed"))
        }
        let stream = id.streamID
        var facts: [(RegistryEvent, String, CalendarDate?)] = []
        var person = before

        switch row {
        case .population(let registration, let hukouAddress, let residenceAddress):
            if person.isDeceased { return before.hasStream ? .unchanged : .rejected(RowRejection(line: line, .personDeceased, "the person has died")) }
            let hukou = registration.hukouDivision?.padded ?? 0
            let residence = registration.residenceDivision?.padded ?? 0
            if !person.isRegistered {
                facts.append((.personRegistered(registration), "PersonRegistered", nil))
                person.flags |= KnownPerson.Flags.registered
                person.hukou = hukou
                person.residence = residence
            } else {
                var corrections: [FieldCorrection] = []
                if let d = registration.hukouDivision, d.padded != person.hukou {
                    corrections.append(FieldCorrection(field: .hukouDivision, value: PersonalText(d.value)))
                    if !hukouAddress.isEmpty {
                        corrections.append(FieldCorrection(field: .hukouAddress, value: PersonalText(hukouAddress)))
                    }
                    person.hukou = d.padded
                }
                if let d = registration.residenceDivision, d.padded != person.residence {
                    corrections.append(FieldCorrection(field: .residenceDivision, value: PersonalText(d.value)))
                    if !residenceAddress.isEmpty {
                        corrections.append(FieldCorrection(field: .residenceAddress, value: PersonalText(residenceAddress)))
                    }
                    person.residence = d.padded
                }
                if !corrections.isEmpty {
                    let fact = "PersonDataCorrected|\(person.hukou)|\(person.residence)|\(hukouAddress)|\(residenceAddress)"
                    facts.append((.personDataCorrected(PersonDataCorrected(corrections: corrections, basis: .sourceData, note: feed.name)), fact, nil))
                }
            }
            if !person.holds(.resident) {
                facts.append((observation(.resident, employer: nil, province: nil), "SourceObservationRecorded|resident", nil))
                person.findings |= TrackedFinding.resident.bit
            }

        case .findings(let findings, let employer, let province, let date):
            if person.isDeceased {
                if findings == [.deceased] && before.hasStream { return .unchanged }
                return .rejected(RowRejection(line: line, .personDeceased, "the person has died; the rules accept no new finding"))
            }
            for f in findings {
                let employerNow = f.namesEmployer ? employer : nil
                if person.holds(f), !f.namesEmployer || knowledge.employer(of: i, for: f) == employerNow { continue }
                let fact = "SourceObservationRecorded|\(f.finding.rawValue)|\(employerNow?.value ?? "")|\(province?.value ?? "")"
                facts.append((observation(f, employer: employerNow, province: province), fact, date))
                person.findings |= f.bit
                if f == .deceased { person.flags |= KnownPerson.Flags.deceased }
                knowledge.set(f, holds: true, employer: employerNow, of: i)
            }
            // A finding of this feed the row no longer reports (a filer without an employer now).
            // (The rules end findings of registered persons only.)
            for f in feed.kind.findings where !findings.contains(f) && person.holds(f) && person.isRegistered {
                if let ended = endedEvent(department: feed.department, finding: f.finding) {
                    facts.append((ended, "SourceFindingEnded|\(f.finding.rawValue)", nil))
                    knowledge[i] = person
                    knowledge.end(f.finding, of: i)
                    person = knowledge[i]
                }
            }

        case .enrolment(let e):
            if person.isDeceased { return .rejected(RowRejection(line: line, .personDeceased, "the person has died; the rules accept no new enrolment")) }
            guard person.isRegistered else {
                return .rejected(RowRejection(line: line, .notRegistered, "the person is not registered; compare the population feed first"))
            }
            let status = person.status(e.type)
            let t = e.type.name
            if !status.isActive {
                facts.append((.personEnrolled(PersonEnrolled(insuranceType: e.type, route: e.route, employer: e.employer, division: e.division)),
                              "PersonEnrolled|\(t)|\(e.route.rawValue)|\(e.employer?.value ?? "")", e.since))
                person.setStatus(.paying, of: e.type)
                if !e.paying {
                    facts.append((.contributionInterrupted(ContributionInterrupted(insuranceType: e.type, reasonCode: "")), "ContributionInterrupted|\(t)", e.since))
                    person.setStatus(.interrupted, of: e.type)
                }
            } else if status == .paying, !e.paying {
                facts.append((.contributionInterrupted(ContributionInterrupted(insuranceType: e.type, reasonCode: "")), "ContributionInterrupted|\(t)", e.since))
                person.setStatus(.interrupted, of: e.type)
            } else if status == .interrupted, e.paying {
                facts.append((.contributionResumed(ContributionResumed(insuranceType: e.type, route: e.route, employer: e.employer)),
                              "ContributionResumed|\(t)|\(e.route.rawValue)|\(e.employer?.value ?? "")", e.since))
                person.setStatus(.paying, of: e.type)
            }
        }

        if facts.isEmpty {
            knowledge[i] = person
            return before.hasStream ? .unchanged : .rejected(RowRejection(line: line, .badValue, "nothing to record"))
        }
        let expected: ExpectedVersion = before.hasStream ? .exactly(UInt64(before.version)) : .noStream
        let events = facts.map { propose($0.0, stream: stream.rawValue, fact: $0.1, effective: $0.2, line: line) }
        person.version = before.version + Int64(events.count)
        knowledge[i] = person
        let append = Append(stream: stream, expected: expected, events: events, line: line, person: i)
        return before.hasStream ? .changed(append) : .newPerson(append)
    }

    /// The endings of a full-list feed, after its last row: for every person (with a stream, alive) holding one
    /// of the feed's findings whom the feed did not list, one `SourceFindingEnded` per finding.
    public func endings(in knowledge: inout RegistryKnowledge) -> [Append] {
        guard feed.kind.endsUnlistedFindings else { return [] }
        let mask = feed.kind.findings.reduce(UInt32(0)) { $0 | $1.bit }
        var out: [Append] = []
        for i in 0..<knowledge.personCount {
            let p = knowledge[i]
            guard p.findings & mask != 0, !isSeen(i), p.hasStream, p.isRegistered, !p.isDeceased,
                  p.flags & KnownPerson.Flags.conflicted == 0 else { continue }
            let stream = StreamID.person(CitizenID(leadingDigits: p.key)!)
            var events: [ProposedEvent] = []
            for f in feed.kind.findings where knowledge[i].holds(f) {
                guard let ended = endedEvent(department: feed.department, finding: f.finding) else { continue }
                events.append(propose(ended, stream: stream.rawValue, fact: "SourceFindingEnded|\(f.finding.rawValue)", effective: nil, line: nil))
                knowledge.end(f.finding, of: i)
            }
            guard !events.isEmpty else { continue }
            out.append(Append(stream: stream, expected: .exactly(UInt64(p.version)), events: events, line: nil, person: i))
            knowledge[i].version = p.version + Int64(events.count)
        }
        return out
    }

    /// The number of persons an ending would concern (also when the log has no ending event yet).
    public func unlistedCount(in knowledge: RegistryKnowledge) -> Int {
        guard feed.kind.endsUnlistedFindings else { return 0 }
        let mask = feed.kind.findings.reduce(UInt32(0)) { $0 | $1.bit }
        var n = 0
        for i in 0..<knowledge.personCount {
            let p = knowledge[i]
            if p.findings & mask != 0, !isSeen(i), p.hasStream, p.isRegistered, !p.isDeceased { n += 1 }
        }
        return n
    }

    private func observation(_ f: TrackedFinding, employer: CreditCode?, province: DivisionCode?) -> RegistryEvent {
        .sourceObservationRecorded(SourceObservationRecorded(
            department: feed.department, finding: f.finding, employer: employer,
            otherProvince: f == .insuredInOtherProvince ? province : nil, reference: feed.name))
    }

    private func propose(_ event: RegistryEvent, stream: String, fact: String, effective: CalendarDate?, line: Int?) -> ProposedEvent {
        var metadata = base
        if let line { metadata.headers["line"] = String(line) }
        return event.proposed(
            id: FeedEventID.make(feed: feed, stream: stream, fact: fact),
            effective: (effective ?? feed.date).startTimestamp,
            metadata: metadata)
    }

    private mutating func markSeen(_ i: Int) {
        let word = i >> 6
        if word >= seen.count { seen.append(contentsOf: repeatElement(0, count: max(word + 1 - seen.count, seen.count))) }
        seen[word] |= 1 << UInt64(i & 63)
    }

    private func isSeen(_ i: Int) -> Bool {
        let word = i >> 6
        return word < seen.count && seen[word] & (1 << UInt64(i & 63)) != 0
    }
}
