import Testing
@testable import TriageEngine

@Suite struct RegistryAndConfigTests {
    @Test func test_builtInsMatchTheSpecTable() {
        let registry = GroupTypeRegistry.builtIn
        #expect(registry.types.count == 25)
        #expect(registry.categories.count == 8)
        let slowQuery = registry.type(id: 1001)!
        #expect(slowQuery.slug == "performance_slow_db_query")
        #expect(slowQuery.noiseConfig == NoiseConfig(ignoreLimit: 100, expiryTime: 86_400))
        #expect(slowQuery.defaultPriority == 25)
        let regression = registry.type(slug: "performance_p95_endpoint_regression")!
        #expect(!regression.enableAutoResolve && !regression.enableEscalationDetection)
        #expect(registry.type(id: 6001)?.inDefaultSearch == false)
        #expect(registry.type(id: 8001)?.released == false)
        #expect(registry.type(id: 4001)?.defaultPriority == 75)
        #expect(registry.type(id: 2009)?.noiseConfig?.ignoreLimit == 2000)
    }

    @Test func test_configAddsCustomTypesAndCategories() throws {
        let config = try TriageConfig.parse("""
            [ingest]
            max_payload_bytes = 4096
            max_depth = 16

            [[categories]]
            id = 100
            name = "security"

            [[types]]
            id = 9001
            slug = "secret_leak"
            category = 100
            released = true
            default_priority = 75
            noise = { ignore_limit = 3, expiry_time = 3600 }
            """, source: "test.toml")
        #expect(config.limits == PayloadLimits(maxPayloadBytes: 4096, maxDepth: 16))
        let type = try #require(config.registry.type(slug: "secret_leak"))
        #expect(type.id == 9001)
        #expect(type.noiseConfig == NoiseConfig(ignoreLimit: 3, expiryTime: 3600))
        #expect(config.registry.category(named: "security")?.id == 100)
        #expect(try QueryParser(registry: config.registry).parse("issue.category:security").terms.first?.filter == .categories([100]))
    }

    @Test func test_configErrorsNameTheProblem() {
        func message(_ text: String) -> String? {
            do {
                _ = try TriageConfig.parse(text, source: "c.toml")
                return nil
            } catch { return error.description }
        }
        #expect(message("[[types]]\nid = 1\nslug = \"mine\"\ncategory = 1") ==
            "c.toml: group type id 1 is defined twice: by the built-in types and by c.toml [[types]]")
        #expect(message("[[types]]\nid = 9000\nslug = \"error\"\ncategory = 1") ==
            "c.toml: group type slug 'error' is defined twice: by the built-in types and by c.toml [[types]]")
        #expect(message("[[types]]\nid = 9000\nslug = \"x\"\ncategory = 55") ==
            "c.toml: group type 9000 (x) names category 55, which is not registered")
        #expect(message("[[categories]]\nid = 2\nname = \"perf2\"") ==
            "c.toml: category id 2 is defined twice: by the built-in categories and by c.toml [[categories]]")
        #expect(message("[[types]]\nid = 9000\ncategory = 1") == "c.toml: types[0].slug: is required")
        #expect(message("[[types]]\nid = \"9000\"\nslug = \"x\"\ncategory = 1") == "c.toml: types[0].id: must be an integer")
        #expect(message("[ingest]\nmax_depth = 100000") == "c.toml: ingest.max_depth: must be between 2 and 512")
        #expect(message("colour = 1")?.hasPrefix("c.toml: colour: unknown setting") == true)
        #expect(message("[ingest\nmax_depth = 3")?.hasPrefix("c.toml: line 1,") == true)
    }

    @Test func test_lifecycleAndInterfaceSettings() throws {
        let config = try TriageConfig.parse("""
            [projects.1]
            resolve_age = 72
            [projects.7]
            resolve_age = 0.5
            [lifecycle]
            escalation_floor = 25
            [ui]
            theme = "light"
            mouse = false
            [keys]
            resolve = "R"
            down = ["j", "ctrl-n"]
            """, source: "c.toml")
        #expect(config.engine.lifecycle.resolveAgeHours == [1: 72, 7: 0.5])
        #expect(config.engine.lifecycle.escalationFloor == 25)
        #expect(config.interface.theme == "light" && config.interface.mouse == false)
        #expect(config.interface.keys.map(\.command) == ["down", "resolve"])
        #expect(config.interface.keys.first?.keys == ["j", "ctrl-n"])

        func message(_ text: String) -> String? {
            do {
                _ = try TriageConfig.parse(text, source: "c.toml")
                return nil
            } catch { return error.description }
        }
        #expect(message("[projects.web]\nresolve_age = 3") == "c.toml: projects.web: a project is named by its numeric id, like [projects.1]")
        #expect(message("[projects.1]\nresolve_age = -3") == "c.toml: projects.1.resolve_age: must be a positive number of hours")
        #expect(message("[projects.1]\nresolve_after = 3")?.hasPrefix("c.toml: projects.1.resolve_after: unknown setting") == true)
        #expect(message("[lifecycle]\nescalation_floor = 0") == "c.toml: lifecycle.escalation_floor: must be at least 1")
        #expect(message("[keys]\nresolve = 3") == "c.toml: keys.resolve: must be a key name or a list of key names, like \"R\" or [\"j\", \"down\"]")
        // Found by scripts/fuzz: toml++ aborted the process on this instead of reporting it.
        #expect(message("[ui]\ntheme = \"a\"\n[[\u{1}") == "c.toml: line 3, column 3: control character U+0001 is not allowed in TOML")
        #expect(message("# a comment\u{0}\n") == "c.toml: line 1, column 12: control character U+0000 is not allowed in TOML")
        for header in ["[plugins.x]\n[é]", "[[ #]]", "[[\nx]]"] {
            #expect(message(header)?.contains(": a table ") == true, "\(header)")
        }
        let tripleQuote = String(repeating: "'", count: 3)
        #expect(message("[ui]\ntheme = \(tripleQuote)\n[é]\n\(tripleQuote)")?.contains("table") != true, "in a multi-line string it is text")
        #expect(message("[keys]\ndown = [\n[\n\"j\"]]")?.contains("table") != true, "in an array value it is a value")
        #expect(message("[keys]\ndown = [\"j\", }]") == "c.toml: line 2, column 14: an array holds values: expected a value or ']', saw '}'")
    }

    @Test func test_theTeamStoreURLAndPasswordVariableComeFromStoreButNeverAPassword() throws {
        let config = try TriageConfig.parse("[store]\nurl = \"postgres://alice@db/triage\"\npassword_env = \"TEAM_PW\"\n", source: "c.toml")
        #expect(config.storeURL == "postgres://alice@db/triage")
        #expect(config.storePasswordEnv == "TEAM_PW")
        #expect(throws: ConfigError.self) { try TriageConfig.parse("[store]\npassword = \"hunter2\"\n", source: "c.toml") }
        do {
            _ = try TriageConfig.parse("[store]\npassword = \"hunter2\"\n", source: "c.toml")
        } catch {
            #expect(error.description.contains("store.password: a password is never read from the config file; put it in $PGPASSWORD"))
            #expect(!error.description.contains("hunter2"))
        }
    }
}
