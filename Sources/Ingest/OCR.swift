import CPoppler
import Foundation

/// When scanned pages are read by OCR.
public enum OCRMode: String, Sendable, Codable, CaseIterable {
    /// Pages with no text layer are read by OCR when tesseract is installed.
    case auto
    /// Every page is read by OCR, even one with a text layer (for PDFs whose text layer is garbage).
    case always
    /// No OCR: pages without a text layer have no text.
    case never
    /// Not here: a PDF with pages that have no text layer is read whole by Kimi's file extraction
    /// (which OCRs), through the pipeline; locally such pages have no text, as under `never`.
    case kimi
}

/// Reads page images with tesseract (Debian's `tesseract-ocr`, with its English and simplified
/// Chinese data when installed), rendering them with poppler and cairo first.
enum OCR {
    /// The tesseract executable on the PATH, found once.
    static let tesseract: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/tesseract" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// The languages to read: English and simplified Chinese, as far as their data is installed.
    static let languages: String = {
        guard let tesseract else { return "eng" }
        let listed = (try? run(tesseract, ["--list-langs"]))?.split(whereSeparator: \.isNewline).map(String.init) ?? []
        let wanted = ["eng", "chi_sim"].filter(listed.contains)
        return wanted.isEmpty ? "eng" : wanted.joined(separator: "+")
    }()

    static var available: Bool { tesseract != nil }

    /// The text tesseract reads on `page`, rendered at `dpi`.
    static func read(_ page: OpaquePointer, dpi: Double = 200) throws(IngestError) -> String {
        guard let tesseract else { throw IngestError(.noText, path: "", "OCR not available") }
        var width = 0.0
        var height = 0.0
        poppler_page_get_size(page, &width, &height)
        let scale = dpi / 72
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width * scale), Int32(height * scale))
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_scale(context, scale, scale)
        poppler_page_render(page, context)
        cairo_destroy(context)
        let image = FileManager.default.temporaryDirectory.appendingPathComponent("precis-ocr-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: image) }
        guard cairo_surface_write_to_png(surface, image.path) == CAIRO_STATUS_SUCCESS else {
            throw IngestError(.unreadable, path: "", "cannot render a page for OCR")
        }
        do {
            return try run(tesseract, [image.path, "stdout", "-l", languages, "--psm", "3"])
        } catch {
            throw IngestError(.unreadable, path: "", "OCR failed: \(error)")
        }
    }

    /// Runs a program and returns its stdout.
    private static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        var env = ProcessInfo.processInfo.environment
        env["OMP_THREAD_LIMIT"] = "1"  // one thread per page: the ingest pool gives the parallelism
        process.environment = env
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw IngestError(.unreadable, path: "", "\(tool) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
