// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "Earshot",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "EarshotKit", targets: ["EarshotKit"]),
        .executable(name: "earshot", targets: ["earshot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CSndFile", path: "Sources/CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f",
                       providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CEBUR128", path: "Sources/CEBUR128", pkgConfig: "libebur128",
                       providers: [.apt(["libebur128-dev"])]),
        // No pkgConfig: libpulse's pkg-config cflags carry -D_REENTRANT and -pthread, which
        // SwiftPM refuses with a warning on every build; its headers are in the standard include
        // path and the module map links the library.
        .systemLibrary(name: "CPulse", path: "Sources/CPulse", providers: [.apt(["libpulse-dev"])]),
        .systemLibrary(name: "CSoxr", path: "Sources/CSoxr", pkgConfig: "soxr",
                       providers: [.apt(["libsoxr-dev"])]),
        .target(name: "EarshotKit",
                dependencies: ["CSndFile", "CFFTW", "CEBUR128", "CPulse", "CSoxr"],
                swiftSettings: [
                    // The DSP loops own their buffers; dynamic exclusivity checks cost a third
                    // of the render time and guard nothing there.
                    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
                    // The test suite runs whole programmes through the debug build: unoptimised,
                    // the per-sample DSP runs 10–30 times slower than release. Debug builds keep
                    // their checks (exclusivity, overflow, preconditions) and testability, and
                    // are optimised.
                    .unsafeFlags(["-O"], .when(configuration: .debug)),
                ]),
        .executableTarget(name: "earshot",
                          dependencies: ["EarshotKit",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          plugins: ["BuildCommitStamp"]),
        // Writes the git commit the build is made from into a generated source of `earshot`
        // (`earshot --version`).
        .plugin(name: "BuildCommitStamp", capability: .buildTool(), path: "Sources/BuildCommitStamp"),
        // Two tiers of tests. EarshotKitTests: unit and golden tests of the library, run on
        // every change (`swift test --filter EarshotKitTests`, under a minute).
        // EarshotIntegrationTests: the built `earshot` binary, PulseAudio, Chromium, batch runs,
        // the bad-input corpus and the per-word calibration in noise. `swift test` runs both.
        // EarshotTestSupport holds the scenes, fixtures and validators both use (a test target
        // without tests). The fixtures (speech-like talkers, music beds, sweeps) are synthesised
        // sample by sample in the tests: optimised like the library.
        .testTarget(name: "EarshotTestSupport", dependencies: ["EarshotKit"],
                    swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .testTarget(name: "EarshotKitTests", dependencies: ["EarshotKit", "EarshotTestSupport"],
                    resources: [.copy("Fixtures")],
                    swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .testTarget(name: "EarshotIntegrationTests", dependencies: ["EarshotKit", "EarshotTestSupport"],
                    swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    ]
)
