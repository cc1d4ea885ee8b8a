import Testing

@Suite("registry explain")
struct ExplainCommandTests {
    @Test func factsWhatTheyChangedAndConclusions() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("explain", "--store", "store", SmallLog.e, "--as-of", "2024-06-30", "--format", "csv")
        #expect(result.status == 0)
        let lines = result.lines
        #expect(lines.count == 8)
        #expect(lines[0] == "position,effective,recorded,event,actor,changed")
        #expect(lines[1].hasPrefix("3,2024-01-20,"))
        #expect(lines[1].hasSuffix(",PersonRegistered,source:police,\"requirements missing: medical, pension; lives in the area: yes; ledger: case opened; area: 120101002001\""))
        #expect(lines[2].hasSuffix(",PersonEnrolled,operator:ops-2,residentMedical: notEnrolled → enrolled; requirements missing: pension"))
        #expect(lines[3].hasSuffix(",ContributionInterrupted,operator:ops-2,residentMedical: enrolled → interrupted"))
        #expect(Array(lines[4...]) == [
            ",,,=>,,residentMedical: interrupted (since position 9)",
            ",,,=>,,should be insured but is not: missing pension",
            ",,,=>,,\"on the survey worklist: to dispatch; lives in the area (registration, a source or a survey says so)\"",
            ",,,=>,,\"on the ledger since position 3 (2024-01-20), 2 follow-ups\"",
        ])
    }

    @Test func beforeTheInterruption() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("explain", "--store", "store", SmallLog.e, "--as-of", "2024-04-30")
        #expect(result.lines.first == "Explain 1201**********0468")
        #expect(result.stdout.contains("after the cut-off: not counted"))
        #expect(result.stdout.contains("residentMedical: enrolled (since position 6)"))
    }
}
