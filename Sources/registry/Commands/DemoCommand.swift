import ArgumentParser
import EventLog
import FileStore
import Foundation
import RegistryComparison
import RegistryDomain
import RegistryProjections
import RegistrySimulation

/// `registry demo`: builds a synthetic city in a fresh file store, replays it and prints its main views.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a synthetic city in a fresh file store, replay it, and print coverage, survey progress, ledgers, employers and targets.",
        discussion: """
            The city (Tianjin's district codes, streets and communities) comes in as its departments' feeds: CSV \
            extracts of the police, civil affairs, tax, education, prisons, provident fund, market regulation, \
            employment registration, other provinces and the insurance agency, four rounds in 2024, written to \
            <store>/feeds and compared one by one (as `registry compare` does); after each round the survey targets are \
            dispatched to street teams and most visits recorded and reviewed. Deterministic for a seed. \
            The store directory must be new, empty, or a previous demo store (marked by a \(DemoStoreDirectory.markerName) \
            file), which is then wiped; any other directory is left alone.
            """)

    @Option(help: ArgumentHelp("The demo store directory (file store).", valueName: "DIR"))
    var store: String = "./registry-demo"

    @Option(help: "Persons in the city (about five events each).")
    var persons = 5000

    @Option(help: "The seed: the same seed and size give the same city.")
    var seed: UInt64 = 2016

    @Option(help: "Rows of the ledgers to show.")
    var rows = 5

    func validate() throws {
        guard (1...10_000_000).contains(persons) else { throw ValidationError("--persons must be between 1 and 10,000,000") }
        guard rows >= 0 else { throw ValidationError("--rows must be 0 or more") }
        if case .postgres = StoreLocation(store) {
            throw ValidationError("the demo builds a file store: give --store a directory")
        }
    }

    func run() async throws {
        let location = StoreLocation(store)
        try await CommandFailure.reporting(store: location) {
            try DemoStoreDirectory(path: store).prepare()
            let fileStore = try await FileEventStore.open(directory: store)
            if fileStore.recovery.created { Terminal.note("registry: created a new store at \(store)") }
            do {
                try await build(in: fileStore)
            } catch {
                try? await fileStore.close()
                throw error
            }
            try await fileStore.close()
        }
    }

    /// Builds the city through its departments' feeds, dispatches and surveys, replays it and prints the views.
    ///
    /// The city's feeds (police population, employers, tax, education, prisons, provident fund, employment
    /// registration, other provinces, civil affairs, the insurance extract: four rounds in 2024) are written as CSV
    /// files under `<store>/feeds` and compared one after another, as staff would with `registry compare`; after
    /// each round the survey targets are dispatched to the street teams (`feeds/teams.csv`) and most visits are
    /// recorded and reviewed, as the surveyors' app would.
    func build(in fileStore: FileEventStore) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let cityFeeds = CityFeeds(.init(persons: persons, seed: seed))
        let city = cityFeeds.city
        let feedDirectory = store + "/" + DemoStoreDirectory.feedsFolder
        let feeds = try cityFeeds.write(into: feedDirectory)
        let teamsFile = feedDirectory + "/teams.csv"
        try Data(Self.teams(city).utf8).write(to: URL(fileURLWithPath: teamsFile))
        let teams = try TeamAssignment(contentsOf: teamsFile)

        var options = ComparisonOptions()
        options.countsSurveyTargets = false
        var session = ComparisonSession(store: fileStore, options: options)
        let bar = TerminalProgress(unit: "feeds")
        var rows: [[String]] = []
        var dispatched = 0, visited = 0
        for (k, feed) in feeds.enumerated() {
            bar.update(done: k, fraction: Double(k) / Double(feeds.count))
            let report = try await session.compare(
                file: feedDirectory + "/" + feed.fileName,
                feed: FeedDescription(kind: FeedKind(name: feed.kind)!, name: feed.fileName, date: feed.date))
            rows.append([String(feed.round), feed.date.description, feed.kind] + [
                report.rowsRead, report.matched, report.newPersons, report.newEmployers, report.changed, report.unchanged,
                report.rejected, report.ended, report.eventsAppended,
            ].map(TerminalProgress.grouped))
            let roundEnds = k == feeds.count - 1 || feeds[k + 1].round != feed.round
            if roundEnds {
                let (d, v) = try await survey(fileStore, city: city, teams: teams, after: feed.date)
                dispatched += d
                visited += v
            }
        }
        bar.finish()
        let buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let head = try await fileStore.headPosition()
        var out = "Built a synthetic city of \(TerminalProgress.grouped(persons)) persons: "
        out += "\(feeds.count) department feeds compared (\(feedDirectory)), \(TerminalProgress.grouped(Int(head))) events in \(String(format: "%.2f", buildSeconds)) s, file store \(store)\n"
        out += "Survey: \(TerminalProgress.grouped(dispatched)) tasks dispatched to the street teams of \(DemoStoreDirectory.feedsFolder)/teams.csv, \(TerminalProgress.grouped(visited)) visits recorded and reviewed\n\n"
        out += "Comparison runs (registry compare --source KIND FILE)\n"
        out += CompareCommand.table(["round", "date", "feed", "rows", "matched", "new", "employers", "changed", "unchanged", "rejected", "ended", "facts"], rows) + "\n"

        let replayBar = TerminalProgress(unit: "events")
        var replayed = 0
        let replayStart = DispatchTime.now().uptimeNanoseconds
        let model = try await ProjectionEngine.rebuild(RegistryFold(), from: fileStore) { p in
            replayed = p.events
            replayBar.update(done: p.events, fraction: p.fraction)
        }
        replayBar.finish()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - replayStart) / 1e9
        out += "Replayed \(TerminalProgress.grouped(replayed)) events in \(String(format: "%.2f", seconds)) s"
        out += " (\(TerminalProgress.grouped(seconds > 0 ? Int(Double(replayed) / seconds) : 0)) events/s)\n\n"

        // The views as of the last feed's day, so the demo prints the same numbers every day.
        let now = Timestamp(microsecondsSinceEpoch: CalendarDate(year: 2025, month: 1, day: 1)!.startTimestamp.microsecondsSinceEpoch - 1)
        out += model.coverageTable(level: .county, at: now, totalsOnly: true).render(.table) + "\n"
        out += model.worklistProgressTable(level: .county, at: now).render(.table) + "\n"
        out += model.ledgerTable(at: now, includeCleared: true, limit: self.rows).render(.table) + "\n"
        out += model.interruptionsTable(at: now, limit: self.rows).render(.table) + "\n"
        out += try await employersAndTargets(city, in: fileStore, at: now)
        out += nextSteps(model, at: now, asOf: CalendarDate(now).description, feeds: feeds)
        Terminal.writeOutput(out)
    }

    /// One street team per street: `division,team`, the mapping `registry dispatch --teams` reads.
    static func teams(_ city: CitySimulation) -> String {
        var text = "division,team\n"
        for county in city.counties {
            for street in 1...city.streetsPerCounty {
                text += "\(county)\(String(format: "%03d", street)),team-\(county)-\(String(format: "%02d", street))\n"
            }
        }
        return text
    }

    /// After a round of feeds: dispatches every county's survey targets, then records most visits (85%: the
    /// surveyor's record, the street's approval, the district's confirmation or, for one in seven, a rejection) as
    /// the surveyors' app would: each task's three facts in one request expecting the stream's version after the
    /// dispatch, a county's tasks in one append.
    /// - Returns: tasks dispatched, visits recorded.
    func survey(_ store: FileEventStore, city: CitySimulation, teams: TeamAssignment, after date: CalendarDate) async throws -> (Int, Int) {
        let dispatcher = SurveyDispatcher(store: store, teams: teams)
        let dispatchTime = CalendarDate(daysSinceEpoch: date.daysSinceEpoch + 3).startTimestamp
        var dispatched = 0, visited = 0
        for county in city.counties {
            let report = try await dispatcher.dispatch(area: DivisionCode(padded: county * 1_000_000)!, at: dispatchTime)
            dispatched += report.dispatched
            var requests: [StreamAppend] = []
            for task in report.tasks {
                let roll = (task.person.leadingDigits &* 0x9E37_79B9_7F4A_7C15) >> 40
                guard roll % 20 < 17 else { continue }
                let day = date.daysSinceEpoch + 10 + Int64(roll % 30)
                let at = { (d: Int64) in CalendarDate(daysSinceEpoch: day + d).startTimestamp }
                let surveyor = "S-\(task.team.suffix(2))\(roll % 7)"
                let confirmed = roll % 7 != 0
                let facts: [(RegistryEvent, Int64, String)] = [
                    (.surveyObservationRecorded(SurveyObservationRecorded(
                        taskID: task.taskID, surveyorIDs: [surveyor], deviceID: "PAD-\(roll % 97)",
                        visitedAt: ISOTimestamp(at(0)), outcome: .completed, name: PersonName("调查对象"), sex: task.person.sex,
                        certificateNumber: CertificateNumber(task.person.value), hukouPlace: Address(""), residence: Address(""),
                        reasonNotEnrolled: "unaware")), 0, "surveyor:\(surveyor)"),
                    (.surveyReviewed(SurveyReviewed(taskID: task.taskID, level: .street, decision: .approve, reviewerID: "R-\(task.team)")), 2, "reviewer:street"),
                    (.surveyReviewed(SurveyReviewed(
                        taskID: task.taskID, level: .district, decision: confirmed ? .approve : .reject, reviewerID: "R-D\(county % 100)",
                        reason: confirmed ? "" : "phone number missing")), 4, "reviewer:district"),
                ]
                requests.append(StreamAppend(
                    stream: task.person.streamID, expected: .exactly(task.streamVersion),
                    events: facts.enumerated().map { k, f in
                        f.0.proposed(id: Self.surveyID(task.taskID, k), effective: at(f.1), metadata: EventMetadata(actor: f.2))
                    }))
                visited += 1
            }
            if !requests.isEmpty {
                for result in try await store.append(requests) { _ = try result.get() }
            }
        }
        return (dispatched, visited)
    }

    /// The id of the k-th survey fact of a task: derived, so the demo's log is the same every time.
    static func surveyID(_ task: UUID, _ k: Int) -> UUID {
        var bytes = task.uuid
        bytes.15 ^= UInt8(k + 1)
        bytes.14 ^= 0x5A
        return UUID(uuid: bytes)
    }

    /// The city's employers and targets: loads them, dispatches employer screening (a task to the county of every
    /// employer on the worklist, visits and confirmations for some), and prints staff coverage, screening progress
    /// and progress against the contributor plan.
    func employersAndTargets(_ city: CitySimulation, in store: FileEventStore, at now: Timestamp) async throws -> String {
        try await city.loadOrganisations(into: store)
        // A small city has few staff per employer: the worklist takes employers with 5 un-enrolled staff (50 in seed 004).
        let settings = EmployerSettings(minimumUnenrolled: 5)
        var employers = try await ProjectionEngine.rebuild(EmployerFold(settings: settings), from: store)
        let handler = CommandHandler(store: store)
        let dispatched = Timestamp(microsecondsSinceEpoch: city.parameters.start.microsecondsSinceEpoch + 600 * 86_400_000_000)
        for (i, (code, task)) in employers.screeningToDispatch().enumerated() {
            let metadata = EventMetadata(actor: "operator:screening")
            // Stable ids: running the demo's steps again appends nothing new.
            let ids = (0..<3).map { UUID(uuidString: String(format: "5C8E0000-0000-4000-8000-%012d", i * 3 + $0))! }
            var t = task
            t.taskID = ids[0]
            try await handler.record(.employerScreeningDispatched(t), for: code, id: ids[0], effective: dispatched, metadata: metadata)
            if i % 3 != 2 {
                try await handler.record(.employerScreeningRecorded(EmployerScreeningRecorded(taskID: t.taskID, outcome: .visited)), for: code,
                                         id: ids[1], effective: Timestamp(microsecondsSinceEpoch: dispatched.microsecondsSinceEpoch + 10 * 86_400_000_000), metadata: metadata)
            }
            if i % 3 == 0 {
                try await handler.record(.employerScreeningRecorded(EmployerScreeningRecorded(taskID: t.taskID, outcome: .confirmed, persons: t.persons)), for: code,
                                         id: ids[2], effective: Timestamp(microsecondsSinceEpoch: dispatched.microsecondsSinceEpoch + 20 * 86_400_000_000), metadata: metadata)
            }
        }
        try await ProjectionEngine.catchUp(&employers, from: store)
        let targets = try await ProjectionEngine.rebuild(TargetFold(settings: ProjectionSettings(areaBasis: .insuringAgency)), from: store)
        var out = employers.employerAreaTable(level: .county).render(.table) + "\n"
        out += employers.screeningProgressTable(level: .county).render(.table) + "\n"
        out += targets.planTable(at: now, type: .employeePension).render(.table) + "\n"
        return out
    }

    /// Commands to try next, naming a synthetic person with an open ledger case (or any person).
    func nextSteps(_ model: RegistryFold, at now: Timestamp, asOf: String, feeds: [CityFeeds.Feed]) -> String {
        let key = model.interruptions(at: now).first?.key ?? model.ledger(includeCleared: false).first?.key
        let person = key.map(PersonKey.citizenID) ?? CitySimulation(.init(persons: persons, seed: seed)).citizenID(0).value
        let s = store.contains(" ") ? "'\(store)'" : store
        return """
            Next (the ID is a synthetic person's):
              registry coverage --store \(s) --level street --as-of \(asOf)
              registry worklist --store \(s) --level street --as-of \(asOf)
              registry employers --store \(s) --totals
              registry screening --store \(s) --min-unenrolled 5 --progress
              registry progress --store \(s) --basis agency --as-of \(asOf)
              registry history --store \(s) \(person)
              registry explain --store \(s) --as-of \(asOf) \(person)
              registry verify --store \(s)
              registry compare --store \(s) --source \(feeds.last?.kind ?? "tax") \(s)/\(DemoStoreDirectory.feedsFolder)/\(feeds.last?.fileName ?? "")
              registry dispatch --store \(s) --area \(CitySimulation(.init(persons: persons, seed: seed)).counties[0]) --teams \(s)/\(DemoStoreDirectory.feedsFolder)/teams.csv
            (registry on your PATH, from the package folder: export PATH="$(swift build -c release --show-bin-path):$PATH")

            """
    }
}
