// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "sidecache",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sidecache", targets: ["sidecache"]),
        .library(name: "SidecacheRESP", targets: ["SidecacheRESP"]),
        .library(name: "SidecacheEngine", targets: ["SidecacheEngine"]),
        .library(name: "SidecacheConfig", targets: ["SidecacheConfig"]),
        .library(name: "SidecacheUpstream", targets: ["SidecacheUpstream"]),
        .library(name: "SidecachePolicy", targets: ["SidecachePolicy"]),
        .library(name: "SidecacheServer", targets: ["SidecacheServer"]),
        .library(name: "SidecacheTLS", targets: ["SidecacheTLS"]),
        .library(name: "SidecacheAdmin", targets: ["SidecacheAdmin"]),
        .library(name: "SidecacheDifftest", targets: ["SidecacheDifftest"]),
        .executable(name: "sidecache-difftest", targets: ["sidecache-difftest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // The admin API: HTTP server, code generated from openapi/admin.yaml, history, metrics.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4", traits: []),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Wire format: request framing, reply encoding, reply tokens, protocol limits.
        .target(
            name: "SidecacheRESP",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // The local engine: command table, keyspace and data types. No sockets.
        .target(
            name: "SidecacheEngine",
            dependencies: [
                "SidecacheRESP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Typed configuration: YAML decoding, defaults, whole-document validation.
        .target(
            name: "SidecacheConfig",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Talking to upstream Redis: connections, pools, topologies, redirects, health.
        .target(
            name: "SidecacheUpstream",
            dependencies: [
                "SidecacheRESP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The cache tier's rules and the decisions they imply: key patterns, lifetimes with
        // jitter, null entries, Bloom filters, single-flight. No sockets.
        .target(
            name: "SidecachePolicy",
            dependencies: ["SidecacheConfig", "SidecacheEngine"],
            swiftSettings: swiftSettings
        ),
        // TLS contexts built from the configuration, for every listener and the upstream client.
        .target(
            name: "SidecacheTLS",
            dependencies: ["SidecacheConfig", .product(name: "NIOSSL", package: "swift-nio-ssl")],
            swiftSettings: swiftSettings
        ),
        // The RESP listener, sessions and connection-level commands.
        .target(
            name: "SidecacheServer",
            dependencies: [
                "SidecacheRESP", "SidecacheEngine", "SidecacheConfig", "SidecacheUpstream", "SidecachePolicy", "SidecacheTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The admin HTTP API (served from code generated out of openapi/admin.yaml at build
        // time), Prometheus metrics, the configuration history in SQLite and hot reload.
        .target(
            name: "SidecacheAdmin",
            dependencies: [
                "SidecacheServer", "SidecacheConfig", "SidecacheEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .executableTarget(
            name: "sidecache",
            dependencies: [
                "SidecacheServer", "SidecacheConfig", "SidecacheAdmin",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The differential tester: seeded command sequences sent to redis-server and to
        // Sidecache in lockstep, replies compared, divergences minimized.
        .target(
            name: "SidecacheDifftest",
            dependencies: ["SidecacheRESP", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sidecache-difftest",
            dependencies: [
                "SidecacheDifftest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SidecacheRESPTests",
            dependencies: [
                "SidecacheRESP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SidecacheEngineTests",
            dependencies: [
                "SidecacheEngine", "SidecacheRESP", "SidecacheDifftest", .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SidecacheUpstreamTests",
            dependencies: [
                "SidecacheUpstream", "SidecacheRESP",
                // For the end-to-end tests of the topologies through a running sidecar.
                "SidecacheServer", "SidecacheConfig",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SidecachePolicyTests",
            dependencies: ["SidecachePolicy", "SidecacheConfig"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SidecacheConfigTests",
            dependencies: ["SidecacheConfig", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SidecacheAdminTests",
            dependencies: [
                "SidecacheAdmin", "SidecacheServer", "SidecacheConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SidecacheServerTests",
            dependencies: [
                "SidecacheServer", "SidecacheEngine", "SidecacheRESP", "SidecacheConfig", "SidecacheDifftest", "SidecacheUpstream",
                "SidecachePolicy",
                "SidecacheTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
