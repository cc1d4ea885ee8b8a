import EventLog
import Foundation
import MemoryStore
import RegistryComparison
import RegistryDomain
import Testing

@Suite struct ComparisonSessionTests {
    let a = Fixtures.id(2)
    let b = Fixtures.id(4, born: "19900101", area: "120102")
    let employer = Fixtures.creditCode(1)
    static let populationHeader = "id_number,name,ethnicity,hukou_type,hukou_division,hukou_address,residence_division,residence_address,phone\n"

    func population(_ rows: [String]) -> String { Self.populationHeader + rows.joined(separator: "\n") + "\n" }

    @Test func policePopulationRegistersNewPersonsRejectsBadRowsAndIsIdempotent() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        let csv = population([
            "\(a),张三,汉族,非农业,120101,天津市和平区南京路1号,120101001001,天津市和平区1号,13812345678",
            "\(b),李四,汉族,农业,120102,天津市河东区1号,120102001001,天津市河东区2号,",
            "123456789012345678,王五,,,,,,,",
            "\(Fixtures.id(6)),赵六,,,12010,,,,",
        ])
        let report = try await session.compare(.policePopulation, csv, in: dir)
        #expect(report.rowsRead == 4)
        #expect(report.newPersons == 2)
        #expect(report.registered == 2)
        #expect(report.matched == 0)
        #expect(report.rejected == 2)
        #expect(report.eventsAppended == 4)
        #expect(report.rejections.map(\.line) == [4, 5])
        #expect(report.rejections.map(\.code) == [.invalidIDNumber, .unknownDivision])
        #expect(report.rejectedByCode == ["invalid-id-number": 1, "unknown-division": 1])
        // No personal data in the reasons.
        #expect(!report.rejections.contains { $0.reason.contains("123456789012345678") || $0.reason.contains("12010,") })

        let events = try await Fixtures.events(store)
        #expect(events.map(\.0.type) == ["PersonRegistered", "SourceObservationRecorded", "PersonRegistered", "SourceObservationRecorded"])
        let first = events[0].0
        #expect(first.stream.rawValue == "person-\(a)")
        #expect(first.metadata.actor == "source:public-security")
        #expect(first.metadata.headers["feed"] == "police-population-2024-03-01.csv")
        #expect(first.metadata.headers["feed-date"] == "2024-03-01")
        #expect(first.metadata.headers["line"] == "2")
        #expect(first.effectiveTime == Fixtures.date.startTimestamp)
        #expect(events[2].0.metadata.headers["line"] == "3")

        // The same feed again appends nothing.
        let again = try await session.compare(.policePopulation, csv, in: dir)
        #expect(again.eventsAppended == 0)
        #expect(again.matched == 2 && again.unchanged == 2 && again.newPersons == 0 && again.rejected == 2)
        #expect(try await store.headPosition() == 4)

        // A fresh session (a new process) re-reading the log agrees.
        var fresh = ComparisonSession(store: store)
        let third = try await fresh.compare(.policePopulation, csv, in: dir)
        #expect(third.eventsAppended == 0 && third.unchanged == 2)

        // A later extract: A moved to another community; B unchanged.
        let moved = population([
            "\(a),张三,汉族,非农业,120101,天津市和平区南京路1号,120101002003,天津市和平区9号,13812345678",
            "\(b),李四,汉族,农业,120102,天津市河东区1号,120102001001,天津市河东区2号,",
        ])
        let later = try await fresh.compare(.policePopulation, moved, in: dir, date: CalendarDate(year: 2024, month: 4, day: 1)!)
        #expect(later.changed == 1 && later.unchanged == 1 && later.eventsAppended == 1)
        let last = try await Fixtures.events(store).last!
        guard case .personDataCorrected(let c) = last.1 else { Issue.record("expected a correction"); return }
        #expect(c.corrections.map(\.field) == [.residenceDivision, .residenceAddress])
        #expect(c.basis == .sourceData)
        #expect(last.0.effectiveTime == CalendarDate(year: 2024, month: 4, day: 1)!.startTimestamp)
    }

    @Test func fifteenDigitNumbersAndLowerCaseXMatchTheRegisteredPerson() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        // A number ending in X, and one written in its 15-digit legacy form.
        let withX = (1...999).lazy.map { Fixtures.id($0, born: "19800101") }.first { $0.hasSuffix("X") }!
        let legacy = Fixtures.id(31, born: "19750620")  // 120101 19750620 031 → 15 digits 120101 750620 031
        let legacy15 = "120101" + "750620" + "031"
        _ = try await session.compare(.policePopulation, population([
            "\(withX),甲,,,120101,,120101001001,,", "\(legacy),乙,,,120101,,120101001001,,",
        ]), in: dir)
        let lower = String(withX.dropLast()) + "x"
        let report = try await session.compare(.tax, "id_number,employer_credit_code\n\(lower),\(employer)\n\(legacy15),\n", in: dir)
        #expect(report.matched == 2)
        #expect(report.newPersons == 0)
        #expect(report.changed == 2)
        let observations = try await Fixtures.observations(store).filter { $0.1 == .tax }
        #expect(observations.map(\.0) == ["person-\(withX)", "person-\(withX)", "person-\(legacy)"])
        #expect(observations.map(\.2) == [.taxFiler, .employedAt, .taxFiler])
    }

    /// One row per department's feed: what is recorded, with which department, finding and effective date.
    @Test(arguments: [
        (FeedKind.civilAffairsDeaths, "id_number,death_date\n{A},2024-02-10\n", [Department.civilAffairs], [SourceFinding.deceased], "2024-02-10"),
        (.civilAffairsLowIncome, "id_number,division\n{A},120101\n", [.civilAffairs], [.lowIncome], "2024-03-01"),
        (.tax, "id_number,employer_credit_code\n{A},{E}\n", [.tax, .tax], [.taxFiler, .employedAt], "2024-03-01"),
        (.education, "id_number,school,division\n{A},第一中学,120101\n", [.education], [.student], "2024-03-01"),
        (.prison, "id_number,admitted_on\n{A},2023-05-01\n", [.prison], [.inmate], "2023-05-01"),
        (.providentFund, "id_number,employer_credit_code\n{A},{E}\n", [.providentFund, .providentFund], [.providentFundContributor, .employedAt], "2024-03-01"),
        (.employment, "id_number,employer_credit_code,registered_on\n{A},{E},2024-01-15\n", [.employment], [.employedAt], "2024-01-15"),
        (.otherProvince, "id_number,province\n{A},440000\n", [.otherProvince], [.insuredInOtherProvince], "2024-03-01"),
    ])
    func eachDepartmentsFeedRecordsItsFinding(kind: FeedKind, template: String, departments: [Department], findings: [SourceFinding], effective: String) async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        let csv = template.replacingOccurrences(of: "{A}", with: a).replacingOccurrences(of: "{E}", with: employer)
        let report = try await session.compare(kind, csv, in: dir)
        #expect(report.rowsRead == 1 && report.newPersons == 1 && report.registered == 0 && report.rejected == 0)
        #expect(report.eventsAppended == findings.count)
        let events = try await Fixtures.events(store)
        #expect(events.count == findings.count)
        for (i, (recorded, event)) in events.enumerated() {
            guard case .sourceObservationRecorded(let o) = event else { Issue.record("not an observation"); continue }
            #expect(recorded.stream.rawValue == "person-\(a)")
            #expect(o.department == departments[i])
            #expect(o.finding == findings[i])
            #expect(o.reference == "\(kind.rawValue)-2024-03-01.csv")
            #expect(o.employer?.value == (o.finding == .employedAt ? employer : nil))
            #expect(o.otherProvince?.value == (kind == .otherProvince ? "440000" : nil))
            #expect(recorded.effectiveTime == CalendarDate(iso: effective)!.startTimestamp)
            #expect(recorded.metadata.actor == "source:" + Self.kebab(departments[i].rawValue))
            #expect(recorded.metadata.headers["line"] == "2")
        }
        let again = try await session.compare(kind, csv, in: dir)
        #expect(again.eventsAppended == 0 && again.unchanged == 1)
    }

    static func kebab(_ s: String) -> String {
        s.reduce(into: "") { out, c in if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) } }
    }

    @Test func marketRegulationRegistersEmployersOnce() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        let other = Fixtures.creditCode(2, division: "120102")
        let csv = "credit_code,name,division,labour_dispatch\n\(employer),某某商贸有限公司,120101,否\n\(other),某某劳务派遣公司,120102,是\n\(other),某某劳务派遣公司,120102,是\n91120101MA0000000X,坏代码,120101,否\n"
        let report = try await session.compare(.marketRegulation, csv, in: dir)
        #expect(report.newEmployers == 2 && report.matched == 1 && report.unchanged == 1 && report.rejected == 1)
        #expect(report.rejections.first?.code == .invalidCreditCode && report.rejections.first?.line == 5)
        let events = try await Fixtures.events(store)
        guard events.count == 2, case .employerRegistered(let e) = events[1].1 else { Issue.record("expected two registrations"); return }
        #expect(e.isLabourDispatch && e.division.value == "120102")
        #expect(events[1].0.stream.rawValue == "employer-\(other)")
        let again = try await session.compare(.marketRegulation, csv, in: dir)
        #expect(again.eventsAppended == 0 && again.newEmployers == 0)
    }

    @Test func enrolmentExtractEnrolsInterruptsAndResumes() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        _ = try await session.compare(.policePopulation, population(["\(a),张三,,,120101,,120101001001,,"]), in: dir)
        let header = "id_number,insurance_type,status,employer_credit_code,division,since\n"
        let first = try await session.compare(.socialInsurance, header + "\(a),employeePension,paying,\(employer),120101,2024-01-01\n\(a),employeeMedical,interrupted,\(employer),120101,2024-01-01\n\(b),residentMedical,paying,,,\n", in: dir)
        #expect(first.changed == 2 && first.rejected == 1)
        #expect(first.rejections.first?.code == .notRegistered)
        #expect(first.eventsAppended == 3)
        let types = try await Fixtures.events(store).suffix(3).map(\.0.type)
        #expect(types == ["PersonEnrolled", "PersonEnrolled", "ContributionInterrupted"])
        // Next month: pension interrupted, medical resumed.
        let second = try await session.compare(.socialInsurance, header + "\(a),employeePension,interrupted,\(employer),120101,2024-03-01\n\(a),employeeMedical,paying,\(employer),120101,2024-03-01\n", in: dir, date: CalendarDate(year: 2024, month: 4, day: 1)!)
        #expect(second.changed == 2 && second.eventsAppended == 2)
        #expect(try await Fixtures.events(store).suffix(2).map(\.0.type) == ["ContributionInterrupted", "ContributionResumed"])
    }

    @Test func rejectedRowsAreReportedWithLineAndNeverRecorded() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var options = ComparisonOptions()
        options.divisions = DivisionDirectory([try DivisionCode("120101"), try DivisionCode("120102")])
        var session = ComparisonSession(store: store, options: options)
        let deaths = "id_number,death_date\n\(a),2024-13-01\n\(a),2024-05-01\n\(a)\n\(b),2024-02-01\n"
        let report = try await session.compare(.civilAffairsDeaths, deaths, in: dir)
        #expect(report.rejections.map(\.line) == [2, 3, 4])
        #expect(report.rejections.map(\.code) == [.badDate, .badDate, .wrongFieldCount])
        #expect(report.newPersons == 1)
        // The deceased: no new finding.
        let tax = try await session.compare(.tax, "id_number,employer_credit_code\n\(b),\n", in: dir)
        #expect(tax.rejections.map(\.code) == [.personDeceased])
        // An unknown division (not in the list).
        let low = try await session.compare(.civilAffairsLowIncome, "id_number,division\n\(a),130101\n\(a),120101001001\n", in: dir)
        #expect(low.rejections.map(\.code) == [.unknownDivision] && low.newPersons == 1)
        #expect(try await store.headPosition() == 2)
    }

    @Test func aRunKilledBetweenBatchesResumesWithNothingLostOrTwice() async throws {
        let dir = try TemporaryDirectory()
        let rows = (1...50).map { "\(Fixtures.id($0)),人\($0),,,120101,,120101001001,," }
        let csv = population(rows)
        let path = try dir.write("police-2024-03-01.csv", csv)
        let feed = FeedDescription(kind: .policePopulation, name: "police-2024-03-01.csv", date: Fixtures.date)
        var options = ComparisonOptions()
        options.batchRows = 7

        let clean = InMemoryEventStore()
        var cleanSession = ComparisonSession(store: clean, options: options)
        _ = try await cleanSession.compare(file: path, feed: feed)

        let memory = InMemoryEventStore()
        let killed = FailingStore(memory, appendsBeforeFailure: 3)
        var first = ComparisonSession(store: killed, options: options)
        await #expect(throws: FailingStore.Killed.self) { _ = try await first.compare(file: path, feed: feed) }
        #expect(try await memory.headPosition() == 42)  // three batches of 7 rows, two facts each

        var resumed = ComparisonSession(store: memory, options: options)
        let report = try await resumed.compare(file: path, feed: feed)
        #expect(report.matched == 21 && report.unchanged == 21 && report.newPersons == 29)
        let ids = try await Fixtures.events(memory).map(\.0.id)
        let cleanIDs = try await Fixtures.events(clean).map(\.0.id)
        #expect(ids.count == 100 && Set(ids).count == 100)
        #expect(Set(ids) == Set(cleanIDs))
    }
}

@Suite struct FindingEndedTests {
    let a = Fixtures.id(2), b = Fixtures.id(4), c = Fixtures.id(6)

    @Test func aFullListNoLongerListingSomeoneEndsTheirFinding() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        _ = try await session.compare(.policePopulation, "id_number,name,residence_division\n\(a),甲,120101001001\n\(b),乙,120101001001\n", in: dir)
        let march = try await session.compare(.prison, "id_number,admitted_on\n\(a),2023-01-01\n\(b),2023-01-01\n\(c),2023-01-01\n", in: dir)
        #expect(march.changed == 2 && march.newPersons == 1 && march.ended == 0)
        // April: B released; C (never registered) no longer listed either: the rules end findings of registered persons only.
        let april = CalendarDate(year: 2024, month: 4, day: 1)!
        let released = try await session.compare(.prison, "id_number,admitted_on\n\(a),2023-01-01\n", in: dir, date: april)
        #expect(released.ended == 1 && released.unchanged == 1 && released.eventsAppended == 1)
        let last = try await Fixtures.events(store).last!
        guard case .sourceFindingEnded(let e) = last.1 else { Issue.record("expected an ending"); return }
        #expect(last.0.stream.rawValue == "person-\(b)")
        #expect(e.department == .prison && e.finding == .inmate && e.reference == "prison-2024-04-01.csv")
        #expect(last.0.effectiveTime == april.startTimestamp)
        #expect(last.0.metadata.headers["line"] == nil && last.0.metadata.headers["feed"] == "prison-2024-04-01.csv")
        // The same feed again, and from a new session: nothing more.
        #expect(try await session.compare(.prison, "id_number,admitted_on\n\(a),2023-01-01\n", in: dir, date: april).eventsAppended == 0)
        var fresh = ComparisonSession(store: store)
        #expect(try await fresh.compare(.prison, "id_number,admitted_on\n\(a),2023-01-01\n", in: dir, date: april).eventsAppended == 0)
        // Listed again in May: a new finding.
        let may = try await fresh.compare(.prison, "id_number,admitted_on\n\(a),2023-01-01\n\(b),2024-04-20\n", in: dir, date: CalendarDate(year: 2024, month: 5, day: 1)!)
        #expect(may.changed == 1 && may.eventsAppended == 1)
    }

    @Test func everyFactAComparisonRecordsPassesTheRegistryRules() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        let e1 = Fixtures.creditCode(1), e2 = Fixtures.creditCode(2)
        _ = try await session.compare(.policePopulation, "id_number,name,residence_division\n\(a),甲,120101001001\n\(b),乙,120101001001\n", in: dir)
        _ = try await session.compare(.tax, "id_number,employer_credit_code\n\(a),\(e1)\n\(b),\(e1)\n\(c),\(e2)\n", in: dir)
        _ = try await session.compare(.providentFund, "id_number,employer_credit_code\n\(a),\(e1)\n", in: dir)
        _ = try await session.compare(.civilAffairsDeaths, "id_number,death_date\n\(b),2024-03-20\n", in: dir, date: CalendarDate(year: 2024, month: 4, day: 1)!)
        // May: A's tax employer changes, then A drops out of tax and the provident fund; B (dead) and C (unregistered) are not ended.
        _ = try await session.compare(.tax, "id_number,employer_credit_code\n\(a),\(e2)\n", in: dir, date: CalendarDate(year: 2024, month: 5, day: 1)!)
        _ = try await session.compare(.tax, "id_number,employer_credit_code\n", in: dir, date: CalendarDate(year: 2024, month: 6, day: 1)!)
        _ = try await session.compare(.providentFund, "id_number,employer_credit_code\n", in: dir, date: CalendarDate(year: 2024, month: 6, day: 1)!)
        // Replay every person stream through the rules, event by event.
        for stream in Set(try await Fixtures.events(store).map(\.0.stream)) {
            let events = try await store.readStream(stream)
            for k in events.indices {
                let state = try PersonState.fold(Array(events[..<k]))
                #expect(throws: Never.self, "\(events[k].type) at version \(k)") { try state.check(try RegistryEvent.decode(events[k]), rules: .default) }
            }
        }
    }
}
