import Foundation
import Ingest
import Pipeline
import PrecisTesting
import Testing

/// Scanned PDFs: read by tesseract when it is installed, a clear failure when it is not.
@Suite(.timeLimit(.minutes(2)))
struct OCRTests {
    let scanned = TestSupport.root.appendingPathComponent("Tests/Fixtures/pdf/scanned.pdf").path

    @Test func withoutTesseractAScannedPDFFailsSayingOCRIsNotAvailable() async throws {
        let result = try await PrecisProcess.run(["extract", scanned], environment: ["PATH": "/nonexistent"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("scanned PDF: OCR not available"), "\(result.stderr)")
    }

    @Test func withOCROffAScannedPDFSaysSo() async throws {
        let result = try await PrecisProcess.run(["extract", scanned, "--ocr", "never"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("OCR is off"))
    }

    @Test(.enabled(if: DocumentLoader.ocrAvailable, "tesseract-ocr is not installed"))
    func tesseractReadsAScannedPage() async throws {
        let result = try await PrecisProcess.run(["extract", scanned, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let items = try JSONOutput.decode([Extraction.Item].self, from: Data(result.stdout.utf8))
        #expect(items.first?.warnings == ["1 page(s) read by OCR"])
        let text = items.first?.text ?? ""
        #expect(text.contains("Millbrook"))
        #expect(text.contains("Financing"))
    }
}
