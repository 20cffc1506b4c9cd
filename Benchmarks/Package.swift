// swift-tools-version:6.1

import PackageDescription

// The benchmarks of Sidecache, a package of their own so that ordo-one/benchmark (and its
// build) stay out of the main package: `cd Benchmarks && swift package benchmark`.
// The MallocInterposer trait is the allocation counter that needs no system jemalloc.
let package = Package(
    name: "SidecacheBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "sidecache", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "SidecacheBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SidecacheRESP", package: "sidecache"),
                .product(name: "SidecacheEngine", package: "sidecache"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/SidecacheBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ]
)
