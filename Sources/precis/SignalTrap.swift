import Dispatch
import Foundation
import Pipeline

#if canImport(Glibc)
    import Glibc
#endif

/// Routes SIGINT and SIGTERM to a run's ``RunControl`` instead of killing the process.
final class SignalTrap {
    private let sources: [any DispatchSourceSignal]

    /// Installs the handlers; they stay until the process exits.
    init(_ control: RunControl) {
        let grace = control.grace.components.seconds
        sources = [Signal.interrupt, .terminate].map { signal in
            Glibc.signal(signal.rawValue, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal.rawValue, queue: .global())
            source.setEventHandler {
                let line =
                    switch control.interrupt(signal) {
                    case .draining:
                        "\(signal): no new calls; finishing the calls in flight (up to \(grace) s). Send it again to abandon them."
                    case .abandoning: "\(signal) again: abandoning the calls in flight."
                    }
                FileHandle.standardError.write(Data("precis: \(line)\n".utf8))
            }
            source.resume()
            return source
        }
    }
}
