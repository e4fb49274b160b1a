// swift-tools-version:6.1
// A side package that only builds the OpenAPI generator's command-line tool, so the main
// package's clean builds (and every CI run) do not pay for the generator plugin.
// `make generate` runs it; the generated code is committed under Sources/DossierAPI.
import PackageDescription

let package = Package(
    name: "openapi-generator",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3")
    ]
)
