import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whether a URL's host is this machine: `localhost`, `::1`, or an IPv4 literal in 127.0.0.0/8.
///
/// Only literals count. A name that merely starts with `127.` (`127.attacker.example`) or a
/// `localhost.` subdomain resolves wherever its owner likes, and a key sent to it over plain HTTP
/// crosses the network in the clear.
enum LoopbackHost {
    static func contains(_ host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "localhost." { return true }
        var v6 = in6_addr()
        if host.withCString({ inet_pton(AF_INET6, $0, &v6) }) == 1 {
            return withUnsafeBytes(of: v6) { $0.dropLast().allSatisfy { $0 == 0 } && $0.last == 1 }
        }
        // inet_pton takes only the four-part dotted decimal form, not `127.1` or hex.
        var v4 = in_addr()
        guard host.withCString({ inet_pton(AF_INET, $0, &v4) }) == 1 else { return false }
        return withUnsafeBytes(of: v4) { $0.first == 127 }
    }
}
