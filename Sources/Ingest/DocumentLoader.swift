import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads an ``InputFile`` into a ``Document``: bytes, hash, text and structure.
public struct DocumentLoader: Sendable {
    /// Files larger than this are refused rather than read into memory.
    public var maxBytes: Int

    /// Tried on PDFs that need a password to open.
    public var pdfPassword: String?

    /// Whether running headers, page numbers and hard line wraps are cleaned out (see ``TextCleaner``).
    public var clean: Bool

    /// When pages without a text layer are read by OCR.
    public var ocr: OCRMode

    public init(maxBytes: Int = 256 * 1024 * 1024, pdfPassword: String? = nil, clean: Bool = true, ocr: OCRMode = .auto)
    {
        self.maxBytes = maxBytes
        self.pdfPassword = pdfPassword
        self.clean = clean
        self.ocr = ocr
    }

    /// Whether tesseract is installed for OCR.
    public static var ocrAvailable: Bool { OCR.available }

    /// The bytes of `file` and their content hash, checked against the size limit.
    ///
    /// The file is opened without blocking and checked again once open, so a FIFO or device that
    /// replaced a regular file after the walk is refused, never waited on.
    /// - Parameter hashing: false skips the content hash (an empty string then), for readers such as
    ///   `precis extract` that keep no state.
    public func read(_ file: InputFile, hashing: Bool = true) throws(IngestError) -> (data: Data, hash: String) {
        if let problem = file.problem { throw IngestError(.unreadable, path: file.id, problem) }
        guard file.kind == .regular else {
            throw IngestError(.notRegularFile, path: file.id, "not a regular file: \(file.kind.rawValue)")
        }
        guard file.size <= maxBytes else { throw tooLarge(file, size: file.size) }
        let fd = file.location.open(O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw IngestError(.unreadable, path: file.id, "cannot open the file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw IngestError(.notRegularFile, path: file.id, "not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= maxBytes else { throw tooLarge(file, size: size) }
        let data = try readAll(fd, size: size, file: file)
        return (data, hashing ? ContentHash.sha256(data) : "")
    }

    /// The content hash of a file too large to hold, read a block at a time (see ``TextSegments``).
    public func streamedHash(_ file: InputFile) throws(IngestError) -> String {
        guard file.size <= maxBytes else { throw tooLarge(file, size: file.size) }
        let fd = file.location.open(O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw IngestError(.unreadable, path: file.id, "cannot open the file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var hasher = SHA256()
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while true {
            let n = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                throw IngestError(
                    .unreadable, path: file.id, "cannot read the file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            hasher.update(data: block[..<n])
            offset += n
        }
        return ContentHash.hex(hasher.finalize())
    }

    /// The file's bytes, read into memory.
    ///
    /// Read, not mapped: a mapped file that is truncated while it is read (logrotate's
    /// `copytruncate`, `cmd > notes.txt`) raises SIGBUS and kills the whole run, where a short read
    /// is only this file's failure.
    private func readAll(_ fd: Int32, size: Int, file: InputFile) throws(IngestError) -> Data {
        guard size > 0 else { return Data() }
        var data = Data(count: size)
        var done = 0
        let failure: Int32? = data.withUnsafeMutableBytes { buffer -> Int32? in
            while done < size {
                let n = pread(fd, buffer.baseAddress! + done, min(size - done, 1 << 24), off_t(done))
                if n < 0 && errno == EINTR { continue }
                if n < 0 { return errno }
                if n == 0 { return nil }
                done += n
            }
            return nil
        }
        if let failure {
            throw IngestError(.unreadable, path: file.id, "cannot read the file: \(String(cString: strerror(failure)))")
        }
        guard done == size else {
            throw IngestError(
                .unreadable, path: file.id,
                "the file shrank from \(size) to \(done) bytes while it was read; run again once it is written")
        }
        return data
    }

    private func tooLarge(_ file: InputFile, size: Int) -> IngestError {
        IngestError(
            .tooLarge, path: file.id,
            "file is \(size) bytes, over the \(maxBytes)-byte limit (--max-file-size raises it)")
    }

    /// The document in `file`, from bytes already read.
    public func load(_ file: InputFile, data: Data, hash: String) throws(IngestError) -> Document {
        switch file.format ?? .text {
        case .text:
            let decoded = try TextDecoder.decode(data, path: file.id)
            guard decoded.text.contains(where: { !$0.isWhitespace }) else {
                throw IngestError(.noText, path: file.id, "the file holds no text")
            }
            let title = TextStructure.title(of: decoded.text) ?? fileTitle(file)
            return Document(
                id: file.id, url: file.url, format: .text, contentHash: hash, byteCount: data.count, title: title,
                parts: TextStructure.parts(of: clean ? TextCleaner.clean(text: decoded.text) : decoded.text),
                encoding: decoded.encoding,
                warnings: decoded.warning.map { [$0] } ?? []
            )
        case .office:
            let ext = (file.id as NSString).pathExtension.uppercased()
            throw IngestError(
                .unsupported, path: file.id,
                "\(ext) files are read through Kimi's file extraction: set formats: kimi in the pipeline, with MOONSHOT_API_KEY set"
            )
        case .pdf:
            var contents = try PDFReader.read(file.location, path: file.id, password: pdfPassword, ocr: ocr)
            if clean { contents.pages = TextCleaner.clean(pages: contents.pages) }
            let parts = Self.parts(of: contents)
            guard !parts.isEmpty else {
                let why =
                    contents.pages.isEmpty
                    ? "the PDF has no pages"
                    : contents.scannedPages == 0
                        ? "no text in \(contents.pages.count) page(s): the pages are blank"
                        : ocr == .never
                            ? "scanned PDF: no text layer in \(contents.scannedPages) page(s), and OCR is off (ocr: never)"
                            : ocr == .kimi
                                ? "scanned PDF: no text layer in \(contents.scannedPages) page(s); ocr: kimi reads it through Kimi's file extraction, which needs MOONSHOT_API_KEY"
                                : "scanned PDF: OCR not available (install tesseract-ocr to read its \(contents.scannedPages) page(s))"
                throw IngestError(.noText, path: file.id, why)
            }
            var warnings: [String] = []
            if contents.ocrPages > 0 { warnings.append("\(contents.ocrPages) page(s) read by OCR") }
            if contents.scannedPages > 0 { warnings.append(Self.scannedWarning(contents.scannedPages)) }
            let title = contents.title ?? parts.first.flatMap { TextStructure.title(of: $0.text) } ?? fileTitle(file)
            var document = Document(
                id: file.id, url: file.url, format: .pdf, contentHash: hash, byteCount: data.count, title: title,
                parts: parts,
                warnings: warnings, pageCount: contents.pages.count)
            document.unreadPages = contents.scannedPages
            return document
        }
    }

    /// A PDF's pages as parts with heading paths: from the outline when it has one, else from
    /// headings found in the page text ("Chapter 3", "第三章", "2.1 Title").
    static func parts(of contents: PDFReader.Contents) -> [Document.Part] {
        var parts: [Document.Part] = []
        if contents.outline.contains(where: { $0.level == 1 }) {
            for (index, text) in contents.pages.enumerated() where text.contains(where: { !$0.isWhitespace }) {
                let page = index + 1
                let chapter = contents.outline.last { $0.level == 1 && $0.page <= page }
                let section = chapter.flatMap { chapter in
                    contents.outline.last { $0.level == 2 && $0.page <= page && $0.page >= chapter.page }
                }
                parts.append(
                    Document.Part(
                        text: text, page: page, headingPath: [chapter?.title, section?.title].compactMap { $0 }))
            }
            return parts
        }
        var path: [(level: Int, title: String)] = []
        for (index, text) in contents.pages.enumerated() where text.contains(where: { !$0.isWhitespace }) {
            parts += TextStructure.parts(of: text, page: index + 1, path: &path)
        }
        return parts
    }

    /// The warning of a PDF read with pages that have no text layer, for the user; code asks
    /// ``Document/unreadPages``.
    public static func scannedWarning(_ pages: Int) -> String {
        "\(pages) page(s) have no text layer and were not read by OCR"
    }

    /// A document from text a remote reader (Kimi's file extraction) gave for `file`.
    public func document(_ file: InputFile, text: String, hash: String, byteCount: Int, format: Document.Format)
        throws(IngestError) -> Document
    {
        let cleaned = clean ? TextCleaner.clean(text: text) : text
        guard cleaned.contains(where: { !$0.isWhitespace }) else {
            throw IngestError(.noText, path: file.id, "Kimi's file extraction found no text in it")
        }
        return Document(
            id: file.id, url: file.url, format: format, contentHash: hash, byteCount: byteCount,
            title: TextStructure.title(of: cleaned) ?? fileTitle(file), parts: TextStructure.parts(of: cleaned),
            warnings: ["read by Kimi's file extraction"])
    }

    /// The parts plain text splits into at its headings.
    public static func textParts(_ text: String) -> [Document.Part] {
        TextStructure.parts(of: text)
    }

    /// Reads and loads `file` in one step; `hashing: false` leaves the document's content hash empty.
    public func load(_ file: InputFile, hashing: Bool = true) throws(IngestError) -> Document {
        let (data, hash) = try read(file, hashing: hashing)
        return try load(file, data: data, hash: hash)
    }

    private func fileTitle(_ file: InputFile) -> String {
        let name = file.id.split(separator: "/").last.map(String.init) ?? file.id
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
