import CPoppler
import CPopplerText
import Foundation

/// Reads a PDF's pages, title and outline: the text through poppler's own extractor (one output
/// device for the whole document, as `pdftotext`; see `CPopplerText.h`), and poppler-glib only
/// where it alone serves: rendering pages for OCR, and, should the extractor not open a file,
/// everything, with its errors.
enum PDFReader {
    struct Contents {
        var title: String?
        var pages: [String]
        /// Chapters and sections from the outline, if the PDF has one.
        var outline: [PDFOutline.Entry] = []
        /// Pages read by OCR.
        var ocrPages = 0
        /// Pages with no text layer that OCR did not read (not installed, or turned off).
        var scannedPages = 0
    }

    /// The text of each page of the PDF at `location`; `path` names the file in errors.
    /// - Parameter password: tried when the PDF needs one to open; owner-only protection needs none.
    static func read(_ location: SystemPath, path: String, password: String? = nil, ocr: OCRMode = .auto)
        throws(IngestError) -> Contents
    {
        if location.bytes.count >= Int(PATH_MAX) - 1 {
            // Poppler opens by name, which the kernel refuses past PATH_MAX: give it the open file's.
            let fd = location.open(O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw IngestError(.unreadable, path: path, "cannot open the file: \(String(cString: strerror(errno)))")
            }
            defer { close(fd) }
            return try readOpened(SystemPath("/proc/self/fd/\(fd)"), path: path, password: password, ocr: ocr)
        }
        return try readOpened(location, path: path, password: password, ocr: ocr)
    }

    private static func readOpened(_ location: SystemPath, path: String, password: String?, ocr: OCRMode)
        throws(IngestError) -> Contents
    {
        var encrypted: Int32 = 0
        guard let extractor = location.withCString({ precis_pdf_text_open($0, password, &encrypted) }) else {
            return try GlibDocument.open(location, path: path, password: password).read(ocr: ocr, path: path)
        }
        defer { precis_pdf_text_close(extractor) }
        var length = 0
        let title = precis_pdf_text_title(extractor, &length).map { Self.string($0, length) }?.trimmingWhitespace()
        let count = Int(precis_pdf_text_pages(extractor))
        // Opened only when a page must be rendered for OCR.
        var renderer: GlibDocument?
        var pages: [String] = []
        var ocrPages = 0
        var scannedPages = 0
        pages.reserveCapacity(count)
        for number in stride(from: 1, through: count, by: 1) {
            var text = precis_pdf_text_page(extractor, Int32(number), &length).map { Self.string($0, length) } ?? ""
            // A page is scanned when it shows an image but holds no text; a blank page or one of
            // vector drawings (a score, a chart) is not worth rendering and OCR.
            let blank =
                !text.unicodeScalars.contains { !$0.properties.isWhitespace }
                && precis_pdf_text_page_has_image(extractor, Int32(number)) != 0
            switch Self.treatment(blank: blank, ocr: ocr) {
            case .readByOCR:
                if renderer == nil { renderer = try GlibDocument.open(location, path: path, password: password) }
                if let page = renderer?.page(number - 1) {
                    defer { g_object_unref(UnsafeMutableRawPointer(page)) }
                    do {
                        text = try OCR.read(page)
                        ocrPages += 1
                    } catch { throw IngestError(error.code, path: path, error.message) }
                }
            case .scannedUnread: scannedPages += 1
            case .asIs: break
            }
            pages.append(text)
        }
        return Contents(
            title: title?.isEmpty == false ? title : nil, pages: pages, outline: outline(extractor),
            ocrPages: ocrPages, scannedPages: scannedPages)
    }

    /// What becomes of a page, by whether it is a scan (`blank`: an image and no text) and the OCR mode.
    enum Treatment { case asIs, readByOCR, scannedUnread }

    static func treatment(blank: Bool, ocr: OCRMode) -> Treatment {
        if ocr == .always || (ocr == .auto && blank) {
            return OCR.available ? .readByOCR : blank ? .scannedUnread : .asIs
        }
        return blank && (ocr == .never || ocr == .kimi) ? .scannedUnread : .asIs
    }

    /// The outline's first two levels, in order, as the extractor reads them.
    private static func outline(_ extractor: OpaquePointer) -> [PDFOutline.Entry] {
        var entries: UnsafePointer<precis_pdf_outline_entry>?
        let count = Int(precis_pdf_text_outline(extractor, &entries))
        guard let entries else { return [] }
        return (0..<count).compactMap { i in
            let entry = entries[i]
            let title = entry.title.map { string($0, entry.length) }?.trimmingWhitespace() ?? ""
            return entry.page >= 1 && !title.isEmpty
                ? PDFOutline.Entry(title: title, page: Int(entry.page), level: Int(entry.level)) : nil
        }
    }

    private static func string(_ bytes: UnsafePointer<CChar>, _ length: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }
}
