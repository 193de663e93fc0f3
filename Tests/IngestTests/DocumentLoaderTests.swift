import Foundation
import Ingest
import PrecisTesting
import Testing

struct DocumentLoaderTests {
    func input(_ url: URL, id: String? = nil) throws -> InputFile {
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        return InputFile(id: id ?? url.lastPathComponent, url: url, size: size, modified: Date())
    }

    @Test func readsEnglishPDFPagesAndMetadataTitle() throws {
        let url = TestSupport.samples.appendingPathComponent("pdf/community-solar-report.pdf")
        let document = try DocumentLoader().load(input(url))
        #expect(document.format == .pdf)
        #expect(document.title == "Community Solar in Three Small Towns: Lessons from the First Two Years")
        #expect(document.parts.count == 2)
        #expect(document.parts.map(\.page) == [1, 2])
        #expect(document.parts[0].text.contains("Millbrook"))
        #expect(document.contentHash.count == 64)
    }

    @Test func readsChinesePDFThroughPopplerData() throws {
        let url = TestSupport.samples.appendingPathComponent("pdf/茶叶简史.pdf")
        let document = try DocumentLoader().load(input(url))
        #expect(document.title == "茶叶简史")
        #expect(document.parts[0].text.contains("陆羽写成《茶经》"))
    }

    @Test func splitsTextAtChineseAndEnglishChapterHeadings() throws {
        let zh = try DocumentLoader().load(input(TestSupport.samples.appendingPathComponent("zh/运河边的书店.txt")))
        #expect(zh.title == "运河边的书店")
        #expect(zh.encoding == "utf-8")
        #expect(zh.parts.compactMap(\.headingPath.last).contains("第三章 风波"))
        let en = try DocumentLoader().load(input(TestSupport.samples.appendingPathComponent("en/harrow-point.txt")))
        #expect(en.title == "The Keepers of Harrow Point")
        #expect(en.parts.filter { $0.headingPath.last?.hasPrefix("Chapter") == true }.count == 8)
    }

    @Test func takesMarkdownHeadingsAsTitleAndPath() throws {
        let dir = try TestSupport.temporaryDirectory()
        let url = try TestSupport.write(
            "Intro text.\n\n# Guide\n\nBody.\n\n## Setup\n\nSteps here.\n", to: "guide.md", in: dir)
        let document = try DocumentLoader().load(input(url))
        #expect(document.title == "Guide")
        #expect(document.parts.last?.headingPath == ["Guide", "Setup"])
    }

    @Test func failsDamagedEmptyAndOversizedFilesWithTheirReasons() throws {
        let dir = try TestSupport.temporaryDirectory()
        let pdf = try Data(contentsOf: TestSupport.samples.appendingPathComponent("pdf/community-solar-report.pdf"))
        let cases: [(String, Data, IngestError.Code)] = [
            ("cut.pdf", pdf.prefix(1500), .pdfDamaged),
            ("junk.pdf", Data("not a pdf at all".utf8), .pdfDamaged),
            ("empty.txt", Data("  \n\n".utf8), .noText)
        ]
        for (name, data, code) in cases {
            let url = try TestSupport.write(data, to: name, in: dir)
            #expect { try DocumentLoader().load(input(url)) } throws: { ($0 as? IngestError)?.code == code }
        }
        let big = try TestSupport.write("0123456789", to: "big.txt", in: dir)
        #expect { try DocumentLoader(maxBytes: 5).load(input(big)) } throws: { ($0 as? IngestError)?.code == .tooLarge }
    }

    @Test func walksDirectoriesForSupportedFilesSkippingHiddenAndExcluded() throws {
        let dir = try TestSupport.temporaryDirectory()
        for name in ["a.txt", "b/C.PDF", "b/notes.md", "b/x.text", "skip.docx", ".hidden/h.txt", "out/o.md"] {
            try TestSupport.write("text", to: name, in: dir)
        }
        let files = try InputWalker(excluding: [dir.appendingPathComponent("out")]).files(in: [dir.path])
        #expect(files.map(\.id) == ["a.txt", "b/C.PDF", "b/notes.md", "b/x.text"])
        #expect { try InputWalker().files(in: [dir.appendingPathComponent("missing").path]) } throws: {
            ($0 as? IngestError)?.code == .notFound
        }
    }
}
