# METADATA
# title: Baseplate policy findings
# description: |
#   Entrypoint baseplate/findings: the union of the deny sets of every rule package under
#   data.baseplate.rules (tagging, naming, iam, network, s3, kms, rds, logging, observability,
#   backup, certificates, compute, secrets, cost, change). A package that does not exist yet,
#   or defines no deny rule, contributes nothing. Finding shape: policies/CONTRACT.md.
package baseplate

import rego.v1

# METADATA
# entrypoint: true
findings contains finding if {
	# data.baseplate.rules[_] reads every rules package in one step, as proven for the wasm planner
	# (test/bundle.test.ts).
	# regal ignore:mixed-iteration
	some finding in data.baseplate.rules[_].deny
}

# METADATA
# description: |
#   What the CLI evaluates: the findings, and whether the input was parsed at all. OPA-Wasm
#   evaluates malformed input JSON as an undefined input, which would otherwise look like a
#   clean stack.
# entrypoint: true
result := {"input_parsed": _input_parsed, "findings": findings}

default _input_parsed := false

_input_parsed if {
	_ = input
}
