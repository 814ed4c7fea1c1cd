# METADATA
# title: Case-file test harness
# description: |
#   Runs the shared JSON case files (policies/test/cases/<domain>/*.json, assembled into
#   data.cases by policies/scripts/test-rego.ts) against data.baseplate.findings.
#   Each rule file's _test.rego declares:
#
#     test_cases if testing.all_pass("s3")
#
#   A failing case prints its name and the missing and unexpected findings. (Sub-tests,
#   `test_cases[name]`, also work but make opa test about eight times slower.)
package baseplate.lib.testing_test

import rego.v1

# cases(domain) maps "<file>: <case name>" to each case of the domain's case files.
cases(domain) := {name: c |
	some file, content in data.cases[domain]
	some c in content.cases
	name := concat(": ", [file, c.name])
}

# all_pass(domain) holds when every case of the domain's case files passes; it fails when the
# domain has no cases at all. Every failing case is printed, not only the first.
all_pass(domain) if {
	count(cases(domain)) > 0
	failed := [name | some name, c in cases(domain); not check(c)]
	count(failed) == 0
}

# actual(c) is the set of {rule, address} findings for the rules under test in case c.
actual(c) := {{"rule": f.rule, "address": f.address} |
	found := data.baseplate.findings with input as c.input
	some f in found
	f.rule in c.rules
}

# expected(c) is the set of {rule, address} findings case c expects.
expected(c) := {{"rule": e.rule, "address": e.address} | some e in c.expect}

# check(c) holds when case c yields exactly its expected findings; prints the difference otherwise.
check(c) if {
	a := actual(c)
	e := expected(c)
	_report(c, a, e)
	a == e
}

_report(_, a, e) if a == e

_report(c, a, e) if {
	a != e
	print("case:", c.name, "missing:", e - a, "unexpected:", a - e)
}
