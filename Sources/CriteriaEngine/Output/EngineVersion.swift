/// The version of the Criteria engine, recorded with every decision so that a verdict can be traced
/// to the code that made it.
public enum EngineVersion {
    /// The engine's version, `MAJOR.MINOR.PATCH`.
    public static let current = "0.1.0"
}
