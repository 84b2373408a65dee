/// The names an expression may use: declared inputs, parameters and criteria.
package struct NameTable: Sendable {
    /// The declared inputs.
    package var inputs: InputCatalog
    /// The declared parameters by name.
    package var parameters: [String: ParameterSyntax]
    /// The level of each criterion by id.
    package var criterionLevels: [String: Level]

    /// Creates a name table.
    package init(inputs: InputCatalog, parameters: [String: ParameterSyntax], criterionLevels: [String: Level]) {
        self.inputs = inputs
        self.parameters = parameters
        self.criterionLevels = criterionLevels
    }
}
