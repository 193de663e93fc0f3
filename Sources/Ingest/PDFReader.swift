import CPoppler
import CPopplerText
import Foundation

/// Reads a PDF's pages and title through poppler-glib.
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

    /// The text of each page of the PDF at `url`; `path` names the file in errors.
    /// - Parameter password: tried when the PDF needs one to open; owner-only protection needs none.
    static func read(_ location: SystemPath, path: String, password: String? = nil, ocr: OCRMode = .auto) throws(IngestError) -> Contents {
        var error: UnsafeMutablePointer<GError>?
        guard let uri = location.withCString({ g_filename_to_uri($0, nil, &error) }) else {
            throw IngestError(.unreadable, path: path, "cannot form a file URI: \(consume(&error))")
        }
        defer { g_free(uri) }
        guard let document = poppler_document_new_from_file(uri, password, &error) else {
            let encrypted = error.map { $0.pointee.domain == poppler_error_quark() && $0.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) } ?? false
            let reason = consume(&error)
            if encrypted {
                let why = password == nil ? "a password is required (--pdf-password, or pdf_password in the pipeline)" : "the password given does not open it"
                throw IngestError(.pdfEncrypted, path: path, "encrypted PDF: \(why)")
            }
            throw IngestError(.pdfDamaged, path: path, "damaged or unreadable PDF: \(reason)")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(document)) }

        let title = take(poppler_document_get_title(document))?.trimmingWhitespace()
        let count = poppler_document_get_n_pages(document)
        var pages: [String] = []
        var ocrPages = 0, scannedPages = 0
        pages.reserveCapacity(Int(max(count, 0)))
        // The text through poppler's own extractor, one output device for the whole document (see
        // CPopplerText.h); poppler-glib's pages only for what it alone gives: images and OCR.
        var encrypted: Int32 = 0
        let extractor = location.withCString { precis_pdf_text_open($0, password, &encrypted) }
        defer { if let extractor { precis_pdf_text_close(extractor) } }
        let sameCount = extractor.map { precis_pdf_text_pages($0) == count } ?? false
        for index in 0..<max(count, 0) {
            var text: String
            var glibPage: OpaquePointer?
            if sameCount, let extractor {
                var length = 0
                let bytes = precis_pdf_text_page(extractor, index + 1, &length)
                text = bytes.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
            } else {
                glibPage = poppler_document_get_page(document, index)
                text = glibPage.flatMap { take(poppler_page_get_text($0)) } ?? ""
            }
            let hasText = text.unicodeScalars.contains { !$0.properties.isWhitespace }
            // A page is scanned when it shows an image but holds no text; a blank page or one of
            // vector drawings (a score, a chart) is not worth rendering and OCR.
            let blank = !hasText && (sameCount && extractor != nil
                ? precis_pdf_text_page_has_image(extractor, index + 1) != 0
                : glibPage.map(Self.hasImage) ?? false)
            if ocr == .always || (ocr == .auto && blank) {
                if OCR.available {
                    if glibPage == nil { glibPage = poppler_document_get_page(document, index) }
                    if let page = glibPage {
                        do { text = try OCR.read(page); ocrPages += 1 } catch {
                            g_object_unref(UnsafeMutableRawPointer(page))
                            throw IngestError(error.code, path: path, error.message)
                        }
                    }
                } else if blank {
                    scannedPages += 1
                }
            } else if blank && (ocr == .never || ocr == .kimi) {
                scannedPages += 1
            }
            if let page = glibPage { g_object_unref(UnsafeMutableRawPointer(page)) }
            pages.append(text)
        }
        return Contents(title: title?.isEmpty == false ? title : nil, pages: pages, outline: PDFOutline.entries(of: document),
                        ocrPages: ocrPages, scannedPages: scannedPages)
    }

    /// Whether the page draws at least one image.
    private static func hasImage(_ page: OpaquePointer) -> Bool {
        guard let images = poppler_page_get_image_mapping(page) else { return false }
        poppler_page_free_image_mapping(images)
        return true
    }

    /// Copies a `gchar*` into a Swift string and frees it.
    private static func take(_ pointer: UnsafeMutablePointer<gchar>?) -> String? {
        guard let pointer else { return nil }
        defer { g_free(pointer) }
        return String(cString: pointer)
    }

    /// The message of a `GError`, which is then freed.
    private static func consume(_ error: inout UnsafeMutablePointer<GError>?) -> String {
        guard let e = error else { return "unknown error" }
        defer { g_error_free(e); error = nil }
        return e.pointee.message.map { String(cString: $0) } ?? "unknown error"
    }
}
