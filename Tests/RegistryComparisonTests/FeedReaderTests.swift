import Foundation
import MemoryStore
import RegistryComparison
import RegistryDomain
import Testing

@Suite struct FeedReaderTests {
    /// `张三,汉族,天津市,非农业` in GB18030 (checked with iconv).
    static let gbFields: [UInt8] = [0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0xBA, 0xBA, 0xD7, 0xE5, 0x2C, 0xCC, 0xEC, 0xBD, 0xF2, 0xCA, 0xD0, 0x2C, 0xB7, 0xC7, 0xC5, 0xA9, 0xD2, 0xB5]

    @Test func aGB18030FileIsDetectedConvertedAndRecorded() async throws {
        let dir = try TemporaryDirectory()
        let id = Fixtures.id(8)
        var bytes = Array("id_number,name,ethnicity,hukou_address,hukou_type,residence_division\r\n".utf8)
        bytes += Array("\(id),".utf8) + Self.gbFields + Array(",120101001001\r\n".utf8)
        let path = try dir.write("police-gb.csv", bytes: bytes)
        #expect(try FeedEncoding.detect(path: path) == .gb18030)

        let reader = try FeedReader(path: path, kind: .policePopulation)
        #expect(reader.encoding == .gb18030)
        let row = try #require(try reader.next())
        #expect(row["name"] == "张三" && row["ethnicity"] == "汉族" && row["hukou_address"] == "天津市" && row["hukou_type"] == "非农业")
        #expect(try reader.next() == nil)

        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        let report = try await session.compare(file: path, feed: FeedDescription(kind: .policePopulation, name: "police-gb.csv", date: Fixtures.date))
        #expect(report.encoding == .gb18030 && report.registered == 1)
        guard case .personRegistered(let p) = try await Fixtures.events(store).first?.1 else { Issue.record("no registration"); return }
        let json = String(decoding: try JSONEncoder().encode(p), as: UTF8.self)
        #expect(json.contains("\"name\":\"张三\"") && json.contains("\"ethnicity\":\"汉族\"") && json.contains("\"hukouType\":\"nonAgricultural\""))
    }

    @Test("broken quoting refuses the feed at its line; a quote inside an unquoted field is a character")
    func brokenQuoting() throws {
        let dir = try TemporaryDirectory()
        let id = Fixtures.id(10)
        let header = "id_number,name,residence_address\n"
        for (text, line) in [
            (header + "\(id),张三,x\n\(id),\"李\"四,y\n\(id),王五,z\n", 3),  // text after a closing quote
            (header + "\(id),张三,x\n\(id),\"李四,y\n\(id),王五,z\n", 3),  // a quote never closed
        ] {
            let path = try dir.write("police.csv", text)
            do {
                let reader = try FeedReader(path: path, kind: .policePopulation)
                while try reader.next() != nil {}
                Issue.record("read whole: \(text)")
            } catch {
                #expect(error.code == .malformedCSV && error.line == line, "\(error)")
            }
        }
        // A stray quote inside an unquoted field: taken as a character, the rows after it read as rows.
        let path = try dir.write("police.csv", header + "\(id),张\"三,x\n\(id),李四,\"y\"\n")
        let reader = try FeedReader(path: path, kind: .policePopulation)
        #expect(try reader.next()?["name"] == "张\"三")
        let second = try #require(try reader.next())
        #expect(second.line == 3 && second["name"] == "李四" && second["residence_address"] == "y")
        #expect(try reader.next() == nil)
    }

    @Test func utf8WithAByteOrderMarkQuotedFieldsAndEmbeddedLineBreaks() throws {
        let dir = try TemporaryDirectory()
        let id = Fixtures.id(10)
        let text = "\u{FEFF}id_number,name,residence_address\n\(id),\"张,三\",\"天津市\n和平区\"\n\(id),李四,\"说 \"\"好\"\"\"\n"
        let path = try dir.write("police.csv", text)
        #expect(try FeedEncoding.detect(path: path) == .utf8)
        let reader = try FeedReader(path: path, kind: .policePopulation)
        let first = try #require(try reader.next())
        #expect(first.line == 2 && first["name"] == "张,三" && first["residence_address"] == "天津市\n和平区")
        let second = try #require(try reader.next())
        #expect(second.line == 4 && second["residence_address"] == "说 \"好\"")
    }

    @Test func aMissingColumnIsABadHeader() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("tax.csv", "id,employer_credit_code\n1,2\n")
        #expect { _ = try FeedReader(path: path, kind: .tax) } throws: { ($0 as? ComparisonError)?.code == .badHeader }
        let repeated = try dir.write("tax2.csv", "id_number,id_number\n1,2\n")
        #expect { _ = try FeedReader(path: repeated, kind: .tax) } throws: { ($0 as? ComparisonError)?.code == .badHeader }
    }

    @Test func invalidGB18030IsABadEncoding() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.csv", bytes: Array("id_number\n".utf8) + [0x81, 0x20, 0x0A])
        #expect { _ = try FeedReader(path: path, kind: .tax) } throws: { ($0 as? ComparisonError)?.code == .badEncoding }
    }

    @Test func feedDatesAreFoundInFileNames() {
        #expect(FeedDescription.date(inFileName: "tax-2024-03-01.csv") == CalendarDate(year: 2024, month: 3, day: 1))
        #expect(FeedDescription.date(inFileName: "prison_20240415.csv") == CalendarDate(year: 2024, month: 4, day: 15))
        #expect(FeedDescription.date(inFileName: "tax.csv") == nil)
    }
}
