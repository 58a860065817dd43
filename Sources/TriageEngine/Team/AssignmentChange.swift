import GRDB

/// Who a group is assigned to (a name; nil: nobody).
public enum AssigneeField: RecordedField {
    public typealias Value = String
    public static let table = "group_assignments"
    public static let fromColumn = "from_assignee"
    public static let toColumn = "to_assignee"
}

/// A group's assignee before and after someone assigned it.
public typealias AssignmentChange = FieldChange<AssigneeField>

extension FieldChange where Field == AssigneeField {
    /// "alice", "nobody": how an assignee reads in history and messages (a name stored with Sentry's
    /// `user:` or `team:` before names were kept without it reads without it too).
    public static func name(_ assignee: String?) -> String { assignee.map(AssigneeName.canonical) ?? "nobody" }

    /// The `assigned` notification's detail: "assigned to alice by bob".
    static func noticeDetail(to assignee: String?, by actor: String) -> String { "assigned to \(name(assignee)) by \(actor)" }

    /// Who an `assigned` notification's detail names: the assignee (nil: nobody) and who assigned
    /// (an actor is a role or login name, so the last " by " ends the assignee's name).
    public static func parties(ofNotice detail: String?) -> (to: String?, by: String)? {
        let prefix = "assigned to "
        guard let detail, detail.hasPrefix(prefix), let by = detail.range(of: " by ", options: .backwards),
              by.lowerBound >= detail.index(detail.startIndex, offsetBy: prefix.count) else { return nil }
        let to = String(detail[detail.index(detail.startIndex, offsetBy: prefix.count)..<by.lowerBound])
        return (to == name(nil) ? nil : to, String(detail[by.upperBound...]))
    }
}
