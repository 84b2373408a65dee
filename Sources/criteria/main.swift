import CriteriaCLI

CriteriaCommand.runFromCommandLine()
