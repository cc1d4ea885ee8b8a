// The registry as an HTTP service: `swift run HTTPServiceExample [STORE-DIR] [PORT]`, then
//   curl -H 'Authorization: Bearer staff-token' localhost:8080/areas/120101/coverage
// The store, the live views and the HTTP server run as one ServiceGroup: Ctrl-C (SIGINT/SIGTERM) shuts them down
// gracefully, the server first, the store last.
import FileStore
import Foundation
import Hummingbird
import Logging
import RegistryDomain
import RegistryProjections
import RegistryService
import ServiceLifecycle

let arguments = CommandLine.arguments.dropFirst()
let directory = arguments.first ?? NSTemporaryDirectory() + "registry-http-example"
let port = arguments.dropFirst().first.flatMap(Int.init) ?? 8080
let logger = Logger(label: "registry-http")

let store = try await FileEventStore.open(directory: directory, options: .init(logger: logger))
let live = LiveProjection(RegistryFold(), following: store, name: "registry", logger: logger)
// Tokens would come from the city's identity provider; fixed here for the example.
let tokens: [String: Principal] = [
    "surveyor-token": Principal(id: "S-1", role: .surveyor(grid: try DivisionCode("120101001"))),
    "reviewer-token": Principal(id: "R-1", role: .reviewer(level: .street)),
    "staff-token": Principal(id: "ops-7", role: .staff),
]
let service = RegistryService(store: store, live: live, tokens: tokens)
let app = Application(router: service.router(), configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
let group = ServiceGroup(
    configuration: .init(services: [store, live, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
