/// The version of the Criteria engine, recorded with every decision so that a verdict can be traced
/// to the code that made it.
package enum EngineVersion {
    /// The engine's version, `MAJOR.MINOR.PATCH`.
    package static let current = "0.1.0"
}
