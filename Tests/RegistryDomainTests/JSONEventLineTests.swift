import Testing
import Foundation
import EventLog
@testable import RegistryDomain

@Suite struct JSONEventLineTests {
    @Test(arguments: Fixtures.everyEvent)
    func jsonRoundTrip(_ event: RegistryEvent) throws {
        let line = JSONEventLine(
            id: UUID(), stream: Fixtures.stream(for: event), event: .current(event),
            effective: Timestamp(microsecondsSinceEpoch: 1_709_280_000_123_456), recorded: Fixtures.day, position: 42,
            metadata: Fixtures.metadata)
        let text = try line.jsonText()
        #expect(!text.contains("\n"))
        #expect(text.contains("\"type\":\"\(event.type.rawValue)\""))
        let back = try JSONEventLine.parse(text)
        #expect(back == line)
        #expect(back.proposed == line.proposed)
        #expect(throws: Never.self) { try back.checkStream() }
    }

    @Test func documentedShape() throws {
        let text = """
            {"id":"6F1C1E64-2B7A-4A43-9A51-0B7F3C1D2E10","stream":"person-120101198503170024","type":"PersonEnrolled","version":2,\
            "effective":"2024-03-01","actor":"agency:120101","data":{"insuranceType":"employeePension","route":"employer",\
            "employer":"91350100M000100Y43"}}
            """
        let line = try JSONEventLine.parse(text)
        #expect(line.event == .current(.personEnrolled(PersonEnrolled(insuranceType: .employeePension, route: .employer, employer: Fixtures.employer))))
        #expect(line.effective == CalendarDate(year: 2024, month: 3, day: 1)!.startTimestamp)
        #expect(line.metadata.actor == "agency:120101")
        // Numeric insurance codes of the default table are accepted too.
        let coded = try JSONEventLine.parse(text.replacingOccurrences(of: "\"employeePension\"", with: "\"110\""))
        #expect(coded.event == line.event)
    }

    @Test func badLinesAreNamedWithoutTheirValues() {
        let cases: [(String, EventFormatError.Code)] = [
            ("not json", .malformedJSON),
            (#"{"id":"6F1C1E64-2B7A-4A43-9A51-0B7F3C1D2E10","stream":"person-120101198503170024","type":"Nope","version":1,"effective":"2024-03-01","data":{}}"#, .unknownType),
            (#"{"id":"6F1C1E64-2B7A-4A43-9A51-0B7F3C1D2E10","stream":"person-120101198503170024","type":"PersonEnrolled","version":7,"effective":"2024-03-01","data":{}}"#, .unsupportedVersion),
            (#"{"id":"6F1C1E64-2B7A-4A43-9A51-0B7F3C1D2E10","stream":"person-120101198503170024","type":"StatusMarked","version":1,"effective":"2024-03-01","data":{"mark":"unwilling"}}"#, .missingField),
        ]
        for (text, code) in cases {
            do { _ = try JSONEventLine.parse(text); Issue.record("parsed") } catch { #expect(error.code == code) }
        }
        let badID = #"{"id":"6F1C1E64-2B7A-4A43-9A51-0B7F3C1D2E10","stream":"person-120101198503170024","type":"PersonRegistered","version":1,"effective":"2024-03-01","data":{"citizenID":"120101198503170025","name":"张三","hukouAddress":"x","residenceAddress":"y","source":"tax"}}"#
        do { _ = try JSONEventLine.parse(badID); Issue.record("parsed") } catch {
            #expect(error.message.contains("data.citizenID"))
            #expect(error.message.contains("invalid-check-character"))
            #expect(!error.description.contains("120101198503170025"))
            #expect(!error.description.contains("张三"))
        }
    }

    @Test func streamsAreChecked() throws {
        let wrongCategory = JSONEventLine(
            id: UUID(), stream: .employer(Fixtures.employer), event: .current(Fixtures.everyEvent[3]), effective: Fixtures.day)
        #expect(throws: EventFormatError.self) { try wrongCategory.checkStream() }
        let otherPerson = JSONEventLine(
            id: UUID(), stream: .person(Fixtures.otherPersonID), event: .current(.personRegistered(Fixtures.registered)), effective: Fixtures.day)
        #expect(throws: EventFormatError.self) { try otherPerson.checkStream() }
        let unknown = JSONEventLine(
            id: UUID(), stream: try StreamID("person-12345"), event: .current(Fixtures.everyEvent[3]), effective: Fixtures.day)
        #expect(throws: EventFormatError.self) { try unknown.checkStream() }
    }
}
