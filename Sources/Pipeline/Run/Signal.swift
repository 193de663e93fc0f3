#if canImport(Glibc)
    import Glibc
#endif

/// The signals that ask a run to wind down.
public enum Signal: Int32, Sendable, CustomStringConvertible {
    case interrupt = 2
    case terminate = 15

    /// The signal's name, as `kill -l` prints it.
    public var description: String {
        switch self {
        case .interrupt: "SIGINT"
        case .terminate: "SIGTERM"
        }
    }

    /// Why the run ended, for ``ExitStatus``: 128 + the signal's number, as a shell reports it.
    var errorCode: PipelineError.Code {
        switch self {
        case .interrupt: .interrupted
        case .terminate: .terminated
        }
    }
}

extension Signal: Codable {
    /// Encoded by name (`"SIGINT"`), as people read it in report.json.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let signal = [Signal.interrupt, .terminate].first(where: { $0.description == name }) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown signal \(name)"))
        }
        self = signal
    }
}
