import ArgumentParser
import Foundation
import Pipeline
import Synchronization

/// `precis extract`: prints the cleaned text precis would chunk.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the cleaned text of TXT and PDF files, as precis would chunk it; no store, no calls.",
        discussion: """
            Files are read with the same decoders, PDF reader and cleaning as `precis run` (running headers, \
            page numbers and hard line wraps removed; --raw keeps them). With several files each starts with \
            a line "==> path <==". --json prints a JSON array, one object per file: path, status, error, \
            format, encoding, pages, chapters, warnings, characters, tokens (the estimate budgets use) and parts.
            Exit codes: 0 every file read, 1 some files failed (each is named on stderr), 2 usage error.

            Examples:
              precis extract report.pdf | less
              precis extract ~/papers --json | jq '.[] | {path, pages, tokens}'
            """
    )

    @Argument(help: "Files or directories to read.")
    var inputs: [String]

    @Flag(help: "Print JSON: one object per file, with pages, chapters, encoding, warnings and a token estimate.")
    var json = false

    @Flag(help: "Skip cleaning: the text as decoded or as poppler gives it.")
    var raw = false

    @OptionGroup(title: "Reading") var read: ReadOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one file or directory to read") }
    }

    func run() async throws {
        let extraction = Extraction(
            inputs: inputs, options: read.ingestOptions(),
            jobs: read.jobs ?? ProcessInfo.processInfo.activeProcessorCount, raw: raw)
        let json = self.json
        let first = Mutex(true)
        let headers = inputs.count > 1 || inputs.contains { FileManager.default.isDirectory($0) }
        if json { FileHandle.standardOutput.write(Data("[\n".utf8)) }
        let counts = try await extraction.run { item in
            let isFirst = first.withLock { value -> Bool in
                defer { value = false }
                return value
            }
            if item.status != "ok" {
                FileHandle.standardError.write(Data("precis: \(item.path): \(item.error ?? "failed")\n".utf8))
            }
            if json {
                do {
                    let line = try JSONOutput.encode(item, pretty: false)
                    FileHandle.standardOutput.write(Data((isFirst ? "" : ",\n").utf8) + line)
                } catch {
                    FileHandle.standardError.write(Data("precis: \(item.path): \(error)\n".utf8))
                }
            } else if item.status == "ok" {
                let header = headers ? "\(isFirst ? "" : "\n")==> \(item.path) <==\n" : ""
                FileHandle.standardOutput.write(Data((header + item.text + "\n").utf8))
            }
        }
        if json { FileHandle.standardOutput.write(Data("\n]\n".utf8)) }
        if counts.failed > 0 { throw ExitStatus.someFilesFailed }
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
