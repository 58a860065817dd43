/// Occurrence severity. Absent or null in a payload means `info`.
public enum Level: String, Sendable, CaseIterable, Comparable {
    case debug, info, warning, error, fatal

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
}
