import ArgumentParser
import ChatAPI
import Checkpoint
import Pipeline

/// The one place errors map to exit codes.
extension ExitStatus: Error {
    init(for error: any Error) {
        switch error {
        case let code as ExitStatus: self = code
        case let error as PipelineError: self = error.exitStatus
        case is CheckpointError: self = .output
        case let error as ChatAPIError: self = error.code == .authentication || error.code == .quotaExceeded ? .stopped : .usage
        default:
            let code = Precis.exitCode(for: error)
            self = code == .success ? .ok : .usage
        }
    }

    /// Whether the error is one of precis's own, printed as is rather than as a usage message.
    static func isDomainError(_ error: any Error) -> Bool {
        error is PipelineError || error is CheckpointError || error is ChatAPIError
    }
}
