/// Spec §6: a type with `released = false` is gated by three flags, set in the config globally
/// (`[flags]`) or per project (`[projects.N.flags]`, which wins). An unset flag is off.
public struct ReleaseFlags: Sendable, Equatable {
    public var global: [String: Bool] = [:]
    public var perProject: [Int64: [String: Bool]] = [:]

    public init() {}

    public enum Gate: Sendable {
        case ingest, postProcess, visible

        /// The flag's name for a type, as Sentry spells it.
        public func flag(for slug: String) -> String {
            let dashed = slug.replacingOccurrences(of: "_", with: "-")
            switch self {
            case .ingest: return "issue-\(dashed)-ingest"
            case .postProcess: return "issue-\(dashed)-post-process-group"
            case .visible: return "organizations:\(dashed)-visible"
            }
        }
    }

    /// Whether `gate` lets `type` through in `project`: released types always pass.
    public func allows(_ gate: Gate, type: GroupType, project: Int64) -> Bool {
        if type.released { return true }
        let flag = gate.flag(for: type.slug)
        return perProject[project]?[flag] ?? global[flag] ?? false
    }

    /// Every flag name the registry's unreleased types use, for validating a config.
    static func knownFlags(_ registry: GroupTypeRegistry) -> Set<String> {
        Set(registry.types.filter { !$0.released }.flatMap { type in [Gate.ingest, .postProcess, .visible].map { $0.flag(for: type.slug) } })
    }

    /// (type, project) pairs hidden from lists: for the query's WHERE clause. `projects` nil means
    /// hidden everywhere except the listed exceptions.
    func hidden(_ registry: GroupTypeRegistry) -> [(typeID: Int, shownIn: [Int64], hiddenIn: [Int64], hiddenByDefault: Bool)] {
        registry.types.filter { !$0.released }.compactMap { type in
            let flag = Gate.visible.flag(for: type.slug)
            let byDefault = !(global[flag] ?? false)
            let shownIn = perProject.filter { $0.value[flag] == true }.map(\.key).sorted()
            let hiddenIn = perProject.filter { $0.value[flag] == false }.map(\.key).sorted()
            if !byDefault && hiddenIn.isEmpty { return nil }
            return (type.id, shownIn, hiddenIn, byDefault)
        }
    }
}
