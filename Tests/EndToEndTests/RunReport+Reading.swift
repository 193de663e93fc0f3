import Foundation
import Pipeline
import PrecisTesting
import Testing

/// The report a run left in `out`, decoded as precis wrote it.
func readReport(_ out: URL) throws -> RunReport {
    try JSONOutput.decode(RunReport.self, from: Data(contentsOf: out.appendingPathComponent("report.json")))
}

/// The report's files by path.
func readFiles(_ out: URL) throws -> [String: RunReport.File] {
    Dictionary(uniqueKeysWithValues: try readReport(out).files.map { ($0.path, $0) })
}

/// The report's sums over every file.
func readTotals(_ out: URL) throws -> RunReport.Totals {
    try readReport(out).totals
}
