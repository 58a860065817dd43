import FuzzSupport
import TriageEngine
import TriageUI

// libFuzzer target: any text as a configuration file and as a theme file. Errors are expected
// answers; crashes are bugs. See FuzzPayload for how it is built.

private let themes = ThemeCatalog(userDirectory: nil)

func fuzzConfig(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? TriageConfig.parse(text, source: "fuzz.toml")
    _ = try? themes.parse(text, name: "fuzz")
}

@main enum Main {
    static func main() { FuzzEntry.main(fuzzConfig) }
}
