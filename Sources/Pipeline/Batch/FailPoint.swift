import Foundation

/// Named points where a test can have the process killed, to prove that a rerun loses nothing.
///
/// `PRECIS_FAILPOINT=name` (set by the kill tests, never by users) makes the process SIGKILL itself
/// the first time it reaches `name`, exactly as `kill -9` would at that instant.
enum FailPoint {
    static let armed = ProcessInfo.processInfo.environment["PRECIS_FAILPOINT"]

    static func hit(_ name: String) {
        guard let armed, armed == name else { return }
        kill(getpid(), SIGKILL)
    }
}
