// swift-tools-version:6.1
// Hot-path benchmarks (ordo-one/benchmark): `cd Benchmarks && swift package benchmark`.
// A package of its own, so the benchmark library and its dependencies stay out of triage's build.
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, which is whatever the checkout is called.
let triage = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "TriageBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "TriageBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TriageEngine", package: triage),
                .product(name: "TriageUI", package: triage),
                .product(name: "TriageDemo", package: triage),
                .product(name: "TriageBench", package: triage),
            ],
            path: "TriageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
