import Foundation
import Ingest
import PrecisTesting
import Testing

/// PDFs with outlines and passwords, from the fixtures `scripts/make_sample_pdfs.py` writes.
struct PDFStructureTests {
    let fixtures = TestSupport.root.appendingPathComponent("Tests/Fixtures/pdf")

    func file(_ name: String) -> InputFile {
        let url = fixtures.appendingPathComponent(name)
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        return InputFile(id: name, url: url, size: size, modified: Date())
    }

    @Test func theOutlineGivesEachPageItsChapter() throws {
        let document = try DocumentLoader().load(file("outlined-book.pdf"))
        #expect(document.parts.first?.headingPath == [])
        let chapters = document.parts.compactMap(\.headingPath.first)
        #expect(Set(chapters).count == 8)
        #expect(chapters.first == "Chapter 1: The Letter")
        #expect(document.parts.last?.headingPath == ["Chapter 8: The Light"])
        #expect(document.parts.last?.page == 9)
    }

    @Test func aUserPasswordIsNeededAndTried() throws {
        #expect { try DocumentLoader().load(file("user-password.pdf")) } throws: { error in
            let error = error as? IngestError
            return error?.code == .pdfEncrypted && error?.message.contains("--pdf-password") == true
        }
        #expect { try DocumentLoader(pdfPassword: "wrong").load(file("user-password.pdf")) } throws: {
            ($0 as? IngestError)?.message.contains("does not open it") == true
        }
        let opened = try DocumentLoader(pdfPassword: "secret").load(file("user-password.pdf"))
        #expect(opened.parts.contains { $0.text.contains("Mara Quill") })
    }

    @Test func anOwnerPasswordAloneDoesNotStopReading() throws {
        let document = try DocumentLoader().load(file("owner-password-only.pdf"))
        #expect(document.parts.count >= 9)
    }

    @Test func aBlankPDFHasNoTextAndIsNotTakenForAScan() throws {
        #expect { try DocumentLoader().load(file("blank.pdf")) } throws: { error in
            let error = error as? IngestError
            return error?.code == .noText && error?.message.contains("blank") == true
        }
    }

    @Test func numberedHeadingsAreFoundInText() {
        let parts = DocumentLoader.textParts(
            "Intro line.\n\n1 Overview\n\nText one.\n\n2.1 Details Here\n\nText two.\n\n3 apples were eaten.\n")
        #expect(parts.map(\.headingPath) == [[], ["1 Overview"], ["1 Overview", "2.1 Details Here"]])
    }
}
