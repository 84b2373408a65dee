/// The names an expression may use: declared inputs, parameters and criteria.
public struct NameTable: Sendable {
    /// The declared inputs.
    public var inputs: InputCatalog
    /// The declared parameters by name.
    public var parameters: [String: ParameterSyntax]
    /// The level of each criterion by id.
    public var criterionLevels: [String: Level]

    /// Creates a name table.
    public init(inputs: InputCatalog, parameters: [String: ParameterSyntax], criterionLevels: [String: Level]) {
        self.inputs = inputs
        self.parameters = parameters
        self.criterionLevels = criterionLevels
    }
}
