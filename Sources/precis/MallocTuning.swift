/// Process-wide allocator settings, applied before any work starts.
enum MallocTuning {
    /// Caps glibc's malloc arenas at two.
    ///
    /// glibc gives threads that allocate at once arenas of their own, up to eight per core, and
    /// memory freed into one is rarely returned or reused by another. Ingest threads, the Swift
    /// pool and SQLite all allocate, so a whole-corpus run peaked higher with the default
    /// (`make bench`, figure "memory"), at no gain in speed on two cores.
    static func apply() {
        #if os(Linux)
            // M_ARENA_MAX is -8 in <malloc.h>, which the Glibc module does not import.
            _ = mallopt(-8, 2)
        #endif
    }
}

#if os(Linux)
    @_silgen_name("mallopt")
    private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
