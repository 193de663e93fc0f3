// swift-tools-version: 6.1
import PackageDescription

// Each target lists exactly the modules its sources import.
let package = Package(
    name: "precis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "precis", targets: ["precis"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2")
    ],
    targets: [
        .systemLibrary(
            name: "CPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev", "libpoppler-private-dev", "poppler-data"])]
        ),
        // poppler's own text extractor (libpoppler-private-dev's headers), one output device a document.
        .target(
            name: "CPopplerText",
            cxxSettings: [.unsafeFlags(["-I/usr/include/poppler"])],
            linkerSettings: [.linkedLibrary("poppler")]
        ),
        .target(
            name: "Ingest",
            dependencies: ["CPoppler", "CPopplerText", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Chunking"),
        .target(
            name: "ChatAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ]
        ),
        .target(
            name: "Summarization",
            dependencies: ["Chunking", "ChatAPI", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Scheduling"),
        .target(name: "Checkpoint", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        // Many workers, one PostgreSQL: the shared store, the work queue and the account's limits.
        .target(
            name: "Fleet",
            dependencies: [
                "Checkpoint", "Scheduling",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "Ingest", "Chunking", "ChatAPI", "Summarization", "Scheduling", "Checkpoint", "Fleet",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .executableTarget(
            name: "precis",
            dependencies: [
                "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .target(
            name: "PrecisTesting",
            dependencies: [
                "ChatAPI", "Scheduling",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ]
        ),
        .executableTarget(
            name: "precis-bench",
            dependencies: [
                "Chunking", "Fleet", "Pipeline", "PrecisTesting", "Scheduling", "Summarization",
                .product(name: "Logging", package: "swift-log")
            ],
            path: "Benchmarks/PrecisBench"
        ),
        // One test target per module; EndToEndTests runs the built binary.
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "PrecisTesting"]),
        .testTarget(name: "ChunkingTests", dependencies: ["Chunking", "PrecisTesting"]),
        .testTarget(
            name: "ChatAPITests",
            dependencies: [
                "ChatAPI", "PrecisTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio")
            ]
        ),
        .testTarget(
            name: "SummarizationTests", dependencies: ["Summarization", "Chunking", "ChatAPI", "PrecisTesting"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling", "PrecisTesting"]),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint", "PrecisTesting"]),
        .testTarget(name: "FleetTests", dependencies: ["Fleet", "Checkpoint", "Scheduling", "PrecisTesting"]),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "PrecisTesting", "ChatAPI", "Checkpoint", "Chunking", "Scheduling", "Summarization",
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Pipeline", "PrecisTesting", "Checkpoint", "Ingest", "precis", .product(name: "Yams", package: "Yams")
            ])
    ],
    cxxLanguageStandard: .cxx17
)
