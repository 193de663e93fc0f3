import ArgumentParser
import ChatAPI
import Checkpoint
import Pipeline

/// The exit codes precis uses, and the one place errors map to them.
enum ExitStatus: Int32, Error {
    /// Every file was summarized (or was already up to date).
    case ok = 0
    /// The run finished, but some files failed; report.json says which and why.
    case someFilesFailed = 1
    /// The command line or a pipeline file is wrong; nothing was run.
    case usage = 2
    /// The output directory or the checkpoint store could not be used.
    case output = 3
    /// The run stopped early: the API refused the key or the account is out of quota.
    case stopped = 4

    init(for error: any Error) {
        switch error {
        case let status as ExitStatus: self = status
        case let error as PipelineError:
            self = switch error.code {
            case .usage, .config: .usage
            case .output: .output
            case .stopped: .stopped
            }
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
