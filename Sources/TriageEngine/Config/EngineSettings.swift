/// What the engine's rules read from the config: lifecycle settings, release flags, notifications.
public struct EngineSettings: Sendable, Equatable {
    public var lifecycle = LifecycleConfig()
    public var flags = ReleaseFlags()
    /// Also notify when a group is resolved (off by default: resolutions are rarely news).
    public var notifyResolved = false
    /// How many of each group's newest occurrences the store keeps (`[store] keep_occurrences`);
    /// nil keeps them all.
    public var keepOccurrences: Int? = 100

    public init() {}
}
