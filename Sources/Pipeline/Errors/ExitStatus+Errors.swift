import ChatAPI
import Checkpoint

/// The one place errors and run outcomes map to exit codes.
extension ExitStatus: Error {
    /// The exit code for one of precis's own errors; nil for anything else (a command-line
    /// parsing error, which the argument parser maps itself).
    public init?(for error: any Error) {
        switch error {
        case let code as ExitStatus: self = code
        case let error as PipelineError: self.init(error.code)
        case is CheckpointError: self = .output
        case let error as ChatAPIError where error.code == .modelRetired: self = .usage
        case let error as ChatAPIError: self = error.disposition == .stopRun ? .stopped : .usage
        default: return nil
        }
    }

    /// The exit code of a run that could not start or finish for `code`.
    init(_ code: PipelineError.Code) {
        switch code {
        case .usage, .config: self = .usage
        case .output: self = .output
        case .stopped: self = .stopped
        case .locked: self = .locked
        case .interrupted: self = .interrupted
        case .terminated: self = .terminated
        case .waiting: self = .submitted
        case .batchFailed: self = .someFilesFailed
        }
    }
}

extension RunReport {
    /// How the run ends the process: a signal's code, 3 when the output could not be written, 4 when
    /// the account stopped it, 1 when a file failed.
    public var exitStatus: ExitStatus {
        if let interrupted { return ExitStatus(interrupted.errorCode) }
        if stop == .model { return .usage }
        if stop == .output { return .output }
        if stopped != nil { return .stopped }
        if totals.failed > 0 || corpus?.status == .failed { return .someFilesFailed }
        return batch?.waiting ?? 0 > 0 ? .submitted : .ok
    }
}
