import CPoppler
import CPopplerText
import Foundation

/// A PDF opened through poppler-glib: for rendering pages to OCR, and for files the extractor
/// cannot open (its errors name the reason: encrypted, damaged).
struct GlibDocument: ~Copyable {
    let document: OpaquePointer

    static func open(_ location: SystemPath, path: String, password: String?) throws(IngestError) -> GlibDocument {
        precis_pdf_setup()
        var error: UnsafeMutablePointer<GError>?
        guard let uri = location.withCString({ g_filename_to_uri($0, nil, &error) }) else {
            throw IngestError(.unreadable, path: path, "cannot form a file URI: \(consume(&error))")
        }
        defer { g_free(uri) }
        guard let document = poppler_document_new_from_file(uri, password, &error) else {
            let encrypted =
                error.map {
                    $0.pointee.domain == poppler_error_quark()
                        && $0.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue)
                } ?? false
            let reason = consume(&error)
            if encrypted {
                let why =
                    password == nil
                    ? "a password is required (--pdf-password, or pdf_password in the pipeline)"
                    : "the password given does not open it"
                throw IngestError(.pdfEncrypted, path: path, "encrypted PDF: \(why)")
            }
            throw IngestError(.pdfDamaged, path: path, "damaged or unreadable PDF: \(reason)")
        }
        return GlibDocument(document: document)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(document)) }

    /// Page `index` (0-based), to be unreffed by the caller.
    func page(_ index: Int) -> OpaquePointer? {
        poppler_document_get_page(document, Int32(index))
    }

    /// Every page's text, the title and the outline through poppler-glib alone.
    consuming func read(ocr: OCRMode, path: String) throws(IngestError) -> PDFReader.Contents {
        let title = Self.take(poppler_document_get_title(document))?.trimmingWhitespace()
        let count = Int(poppler_document_get_n_pages(document))
        var pages: [String] = []
        var ocrPages = 0
        var scannedPages = 0
        for index in 0..<count {
            guard let page = page(index) else {
                pages.append("")
                continue
            }
            defer { g_object_unref(UnsafeMutableRawPointer(page)) }
            var text = Self.take(poppler_page_get_text(page)) ?? ""
            let blank = !text.contains { !$0.isWhitespace } && Self.hasImage(page)
            switch PDFReader.treatment(blank: blank, ocr: ocr) {
            case .readByOCR:
                do {
                    text = try OCR.read(page)
                    ocrPages += 1
                } catch { throw IngestError(error.code, path: path, error.message) }
            case .scannedUnread: scannedPages += 1
            case .asIs: break
            }
            pages.append(text)
        }
        return PDFReader.Contents(
            title: title?.isEmpty == false ? title : nil, pages: pages, outline: PDFOutline.entries(of: document),
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
        defer {
            g_error_free(e)
            error = nil
        }
        return e.pointee.message.map { String(cString: $0) } ?? "unknown error"
    }
}
