import EventLog
import RegistryDomain

/// Why a person has their coverage state, or is on a worklist or a ledger: the chain of facts, with their global
/// positions, that made it so.
public struct Explanation: Sendable, Hashable, Codable {
    /// One fact of the person's stream and what it changed in the views.
    public struct Step: Sendable, Hashable, Codable {
        public var position: LogPosition
        public var type: String
        public var effective: Timestamp
        public var recorded: Timestamp
        /// Who recorded it (surveyor, department, operator).
        public var actor: String
        /// What it changed, in words; empty for a fact that changed nothing the views show.
        public var changes: [String]
    }

    /// The person's masked citizen ID number.
    public var person: String
    /// Every fact of the person's stream, in order.
    public var steps: [Step]
    /// The conclusions: coverage per type, exemption, worklist and ledger standing, each with its cause.
    public var conclusions: [String]
}

extension RegistryFold {
    /// What the views show of one person, for explaining.
    struct Standing: Equatable {
        var coverage: [Coverage.Status]
        var exemption: Exemption?
        var unmet: UInt8
        var livesInArea: Bool
        var tasks: [TaskState]
        var caseOpen: Bool
        var area: UInt64
    }

    func standing(_ i: Int, on day: Int) -> Standing {
        let s = persons[i].standing
        return Standing(coverage: (1...7).map { s.status(InsuranceType(rawValue: UInt8($0))!) }, exemption: s.exemption,
                        unmet: eligibility.unmet(s, key: persons[i].key, on: day), livesInArea: s.livesInArea,
                        tasks: tasks.filter { $0.person == Int32(i) }.map { TaskState($0.state) },
                        caseOpen: persons[i].openCase >= 0, area: area(of: i))
    }

    /// Explains one person from their stream: folds it alone and records what each fact changed.
    /// - Parameters:
    ///   - events: the person's stream, in order (``EventStore/readStream(_:)``).
    ///   - settings: the settings of the views being explained.
    ///   - cutoff: the as-of cut-off of the views being explained.
    /// - Throws: ``ProjectionError`` when a fact is not readable.
    public static func explain(_ events: [RecordedEvent], settings: ProjectionSettings = .standard, cutoff: ReplayCutoff = .none) throws -> Explanation {
        var builder = EventBatchBuilder()
        for e in events { builder.append(e) }
        let batch = builder.build(nextPosition: (events.last?.position ?? 0) + 1)
        var model = RegistryFold(settings: settings, cutoff: cutoff)
        let evaluationDay = LocalCalendar.yyyymmdd(cutoff.evaluationTime.microsecondsSinceEpoch, offset: settings.utcOffsetSeconds)
        var steps: [Explanation.Step] = []
        var causes: [String: LogPosition] = [:]
        var key: UInt64?
        try batch.withRecords { views in
            for view in views {
                let admitted = cutoff.admits(view)
                key = key ?? PersonKey.key(streamBytes: view.streamBytes)
                let before = key.flatMap { model.index[$0] }.map { model.standing(Int($0), on: evaluationDay) }
                try model.apply(view)
                var changes: [String] = []
                if !admitted {
                    changes = ["after the cut-off: not counted"]
                } else if let key, let p = model.index[key] {
                    let after = model.standing(Int(p), on: evaluationDay)
                    changes = describe(before, after, model: model)
                    for c in changes { causes[String(c.prefix { $0 != ":" })] = view.position }
                }
                steps.append(Explanation.Step(
                    position: view.position, type: view.type, effective: view.effectiveTime, recorded: view.recordedTime,
                    actor: (RecordFormat.decodeMetadata(view.metadataBytes)?.actor).map { $0.isEmpty ? "-" : $0 } ?? "-",
                    changes: changes))
            }
        }
        var conclusions: [String] = []
        model = model.advanced(to: cutoff.evaluationTime)  // birthdays since the last fact
        func at(_ position: LogPosition) -> String { position == 0 ? "a birthday" : "position \(position)" }
        if let key, let p = model.index[key] {
            let i = Int(p)
            let s = model.standing(i, on: evaluationDay)
            for (t, status) in zip(InsuranceType.allCases, s.coverage) where status != .notEnrolled {
                conclusions.append("\(t.name): \(status)" + (causes[t.name].map { " (since position \($0))" } ?? ""))
            }
            if let e = s.exemption { conclusions.append("exempt: \(e)" + (causes["exempt"].map { " (position \($0))" } ?? "")) }
            let unmet = model.requirementNames(s.unmet)
            if !unmet.isEmpty, s.exemption == nil {
                conclusions.append("should be insured but is not: missing \(unmet.joined(separator: ", "))")
            }
            let open = s.tasks.filter { $0 != .districtConfirmed }
            if (model.needsVisit(i, on: evaluationDay) && s.tasks.isEmpty) || !open.isEmpty {
                let why = s.livesInArea ? "lives in the area (registration, a source or a survey says so)" : "has a survey task"
                let states = open.isEmpty ? "to dispatch" : open.map { "\($0)" }.joined(separator: ", ")
                conclusions.append("on the survey worklist: \(states); \(why)")
            }
            if s.caseOpen, let c = model.persons[i].openCase >= 0 ? model.cases[Int(model.persons[i].openCase)] : nil {
                conclusions.append("on the ledger since \(at(c.openedPosition)) (\(LocalCalendar.dateText(c.opened, offset: settings.utcOffsetSeconds))), \(c.followUps) follow-ups")
            }
            for c in model.cases where c.person == p && c.reason != .open {
                conclusions.append("a ledger case opened at \(at(c.openedPosition)) was cleared at \(at(c.clearedPosition)): \(c.reason)")
            }
            if conclusions.isEmpty { conclusions.append("no coverage, no requirement missing, not on a worklist or ledger") }
        }
        return Explanation(person: key.map(PersonKey.maskedCitizenID) ?? "-", steps: steps, conclusions: conclusions)
    }

    static func describe(_ before: Standing?, _ after: Standing, model: RegistryFold) -> [String] {
        var out: [String] = []
        for (k, t) in InsuranceType.allCases.enumerated() {
            let old = before?.coverage[k] ?? .notEnrolled
            if old != after.coverage[k] { out.append("\(t.name): \(old) → \(after.coverage[k])") }
        }
        if before?.exemption != after.exemption {
            out.append("exempt: \(after.exemption.map { "\($0)" } ?? "no longer")")
        }
        if (before?.unmet ?? 0) != after.unmet {
            let names = model.requirementNames(after.unmet)
            out.append("requirements missing: \(names.isEmpty ? "none" : names.joined(separator: ", "))")
        }
        if (before?.livesInArea ?? false) != after.livesInArea, after.livesInArea { out.append("lives in the area: yes") }
        if let old = before?.tasks, old != after.tasks {
            for (k, t) in after.tasks.enumerated() where k >= old.count || old[k] != t { out.append("survey task: \(t)") }
        } else if before == nil {
            for t in after.tasks { out.append("survey task: \(t)") }
        }
        if (before?.caseOpen ?? false) != after.caseOpen { out.append("ledger: \(after.caseOpen ? "case opened" : "case cleared")") }
        if (before?.area ?? 0) != after.area, after.area != 0 { out.append("area: \(Area.name(after.area, level: .community))") }
        return out
    }
}
