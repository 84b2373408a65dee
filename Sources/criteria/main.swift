import CriteriaCLI

await CriteriaCommand.runFromCommandLine()
