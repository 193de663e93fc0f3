import Foundation
import Ingest

extension RunOptions {
    /// The files the walk finds under the inputs, the output directory left out.
    func files() throws(PipelineError) -> [InputFile] {
        do { return try ingest.walker(excluding: [outputDirectory]).files(in: inputs) } catch {
            throw PipelineError(.usage, error.description)
        }
    }

    /// `config` with this run's overrides of it (`--ocr`), as its pages are fingerprinted and read.
    func effective(_ config: PipelineConfig) -> PipelineConfig {
        var effective = config
        effective.ocr = ingest.ocr ?? config.ocr
        return effective
    }

    /// The loader for this run: its size limit, the password tried, and the OCR mode in force.
    func loader(_ config: PipelineConfig) -> DocumentLoader {
        DocumentLoader(maxBytes: ingest.maxFileBytes, pdfPassword: ingest.pdfPassword ?? config.pdfPassword, ocr: effective(config).ocr)
    }

    /// The pool files are read and extracted in.
    func ingestPool() -> IngestPool {
        IngestPool(jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }
}
