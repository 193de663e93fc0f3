import ArgumentParser
import Foundation
import Pipeline

/// How input files are found and read; `run`, `estimate` and `extract` share these flags.
struct ReadOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only read files matching this glob; repeat it for more (e.g. '*.pdf', 'reports/**').", valueName: "glob"))
    var include: [String] = []

    @Option(
        help: ArgumentHelp(
            "Leave out files matching this glob; repeat it for more (e.g. 'drafts/**').", valueName: "glob"))
    var exclude: [String] = []

    @Flag(help: "Also read files and folders whose names start with a dot.")
    var hidden = false

    @Option(help: ArgumentHelp("Refuse files larger than this, such as 256M, 1G or 500k.", valueName: "size"))
    var maxFileSize: String = "256M"

    @Option(
        help:
            "Read pages without a text layer by OCR: auto (when tesseract is installed), always, never, or kimi (send such PDFs to Kimi's file extraction; needs MOONSHOT_API_KEY) (default: the pipeline's, else auto)."
    )
    var ocr: OCRMode?

    @Option(name: .shortAndLong, help: "Files read and extracted at once (default: one per core).")
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "A password to try on encrypted PDFs (PRECIS_PDF_PASSWORD works too, and stays out of `ps`).",
            valueName: "password"))
    var pdfPassword: String?
    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if IngestOptions.parseSize(maxFileSize) == nil {
            throw ValidationError(
                "--max-file-size takes a size such as 256M, 1G, 500k or a number of bytes, not '\(maxFileSize)'")
        }
    }

    /// The walk's and the reader's options from the flags; the PDF password may come from the environment.
    func ingestOptions() -> IngestOptions {
        IngestOptions(
            includeHidden: hidden, include: include, exclude: exclude,
            maxFileBytes: IngestOptions.parseSize(maxFileSize) ?? IngestOptions.defaultMaxFileBytes,
            pdfPassword: pdfPassword ?? ProcessInfo.processInfo.environment["PRECIS_PDF_PASSWORD"], ocr: ocr)
    }
}

extension OCRMode: ExpressibleByArgument {}
