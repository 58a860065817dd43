/// Noise limit: a group is created only once `ignoreLimit` occurrences arrive with no gap longer than
/// `expiryTime` seconds between consecutive ones.
public struct NoiseConfig: Sendable, Hashable {
    public let ignoreLimit: Int
    public let expiryTime: Double

    public init(ignoreLimit: Int, expiryTime: Double) {
        self.ignoreLimit = ignoreLimit
        self.expiryTime = expiryTime
    }
}

/// A group type: the rules that apply to every group of that type.
public struct GroupType: Sendable, Hashable {
    public let id: Int
    public let slug: String
    public let description: String
    public let categoryID: Int
    public let released: Bool
    public let noiseConfig: NoiseConfig?
    public let enableAutoResolve: Bool
    public let enableEscalationDetection: Bool
    public let defaultPriority: Int
    public let inDefaultSearch: Bool

    public init(
        id: Int, slug: String, description: String, categoryID: Int, released: Bool = false,
        noiseConfig: NoiseConfig? = nil, enableAutoResolve: Bool = true, enableEscalationDetection: Bool = true,
        defaultPriority: Int = Priority.medium, inDefaultSearch: Bool = true
    ) {
        self.id = id
        self.slug = slug
        self.description = description
        self.categoryID = categoryID
        self.released = released
        self.noiseConfig = noiseConfig
        self.enableAutoResolve = enableAutoResolve
        self.enableEscalationDetection = enableEscalationDetection
        self.defaultPriority = defaultPriority
        self.inDefaultSearch = inDefaultSearch
    }
}
