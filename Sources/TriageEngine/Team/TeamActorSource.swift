/// Who the team store records as the actor of a change (`[store] actor`).
public enum TeamActorSource: String, Sendable {
    /// The authenticated database role, decided by the server: setting a variable cannot forge it.
    case role
    /// `$TRIAGE_USER`, else the login name, as the client says: for a rota sharing one database role.
    case env
}
