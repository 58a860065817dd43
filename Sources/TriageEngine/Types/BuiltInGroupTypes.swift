/// The group types every triage knows, as listed in the issue-platform spec (section 2).
extension GroupType {
    public static let builtIns: [GroupType] = {
        let day = 86_400.0
        func perf(_ id: Int, _ slug: String, _ text: String, noise: Int? = nil, priority: Int = Priority.low,
                  autoResolve: Bool = true, escalation: Bool = true) -> GroupType {
            GroupType(id: id, slug: slug, description: text, categoryID: 2, released: true,
                      noiseConfig: noise.map { NoiseConfig(ignoreLimit: $0, expiryTime: day) },
                      enableAutoResolve: autoResolve, enableEscalationDetection: escalation, defaultPriority: priority)
        }
        func profile(_ id: Int, _ slug: String, _ text: String, noise: Int? = nil, priority: Int = Priority.low,
                     autoResolve: Bool = true) -> GroupType {
            GroupType(id: id, slug: slug, description: text, categoryID: 3, released: true,
                      noiseConfig: noise.map { NoiseConfig(ignoreLimit: $0, expiryTime: day) },
                      enableAutoResolve: autoResolve, defaultPriority: priority)
        }
        return [
            GroupType(id: 1, slug: "error", description: "Error", categoryID: 1, released: true),
            perf(1001, "performance_slow_db_query", "Slow DB Query", noise: 100),
            perf(1004, "performance_render_blocking_asset_span", "Large Render Blocking Asset", noise: 3),
            perf(1006, "performance_n_plus_one_db_queries", "N+1 Query", noise: 3),
            perf(1007, "performance_consecutive_db_queries", "Consecutive DB Queries", noise: 15),
            perf(1008, "performance_file_io_main_thread", "File IO on Main Thread", noise: 3),
            perf(1009, "performance_consecutive_http", "Consecutive HTTP", noise: 5),
            perf(1010, "performance_n_plus_one_api_calls", "N+1 API Call", noise: 3),
            perf(1012, "performance_uncompressed_assets", "Uncompressed Asset", noise: 100),
            perf(1013, "performance_db_main_thread", "DB on Main Thread", noise: 3),
            perf(1015, "performance_large_http_payload", "Large HTTP payload", noise: 3),
            perf(1016, "performance_http_overhead", "HTTP/1.1 Overhead", noise: 20),
            perf(1018, "performance_p95_endpoint_regression", "Endpoint Regression", priority: Priority.medium,
                 autoResolve: false, escalation: false),
            profile(2001, "profile_file_io_main_thread", "File I/O on Main Thread"),
            profile(2002, "profile_image_decode_main_thread", "Image Decoding on Main Thread"),
            profile(2003, "profile_json_decode_main_thread", "JSON Decoding on Main Thread"),
            profile(2007, "profile_regex_main_thread", "Regex on Main Thread"),
            profile(2009, "profile_frame_drop", "Frame Drop", noise: 2000),
            profile(2011, "profile_function_regression", "Function Regression", priority: Priority.medium, autoResolve: false),
            GroupType(id: 4001, slug: "monitor_check_in_failure", description: "Crons Monitor Failed", categoryID: 4,
                      released: true, defaultPriority: Priority.high),
            GroupType(id: 5002, slug: "replay_click_rage", description: "Rage Click Detected", categoryID: 5, released: true),
            GroupType(id: 5003, slug: "replay_hydration_error", description: "Hydration Error Detected", categoryID: 5,
                      released: true),
            GroupType(id: 6001, slug: "feedback", description: "Feedback", categoryID: 6, released: true,
                      enableAutoResolve: false, enableEscalationDetection: false, inDefaultSearch: false),
            GroupType(id: 7001, slug: "uptime_domain_failure", description: "Uptime Domain Monitor Failure", categoryID: 7,
                      released: true, enableAutoResolve: false, enableEscalationDetection: false, defaultPriority: Priority.high),
            GroupType(id: 8001, slug: "metric_issue", description: "Metric Issue", categoryID: 8, released: false,
                      enableAutoResolve: false, enableEscalationDetection: false, defaultPriority: Priority.high),
        ]
    }()
}
