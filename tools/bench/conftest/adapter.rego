# Runs Baseplate's rules under conftest for the benchmark. conftest evaluates `deny` rules whose
# results are strings or objects with a string "msg"; Baseplate's rules return structured findings
# (policies/CONTRACT.md), so this package turns each finding of data.baseplate.findings into one
# conftest failure. The rules evaluated are exactly those of policies/rego.
package main

import rego.v1

deny contains {"msg": concat(" ", [finding.rule, finding.address])} if {
	some finding in data.baseplate.findings
}
