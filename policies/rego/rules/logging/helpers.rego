# METADATA
# title: Logging guardrails
# description: |
#   CloudWatch Logs retention and encryption, and CloudTrail coverage, integrity and
#   encryption. Retention policy: every log group keeps logs for at least 30 days and at most a
#   bounded period (retention_in_days set, not 0 = never expire) — mandatory everywhere; prod log
#   groups should keep them for at least 365 days — advisory.
package baseplate.rules.logging

import rego.v1

import data.baseplate.lib.resources as res

# _days(v) is v as a number of days (numbers and numeric strings).
_days(v) := v if is_number(v)

_days(v) := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^\s*[0-9]+\s*$`, v)
}

# _missing(r, attr) holds when attr is decided and absent, null or an empty string.
_missing(r, attr) if res.is_unset(r, [attr])

_missing(r, attr) if res.raw(r, [attr]) == ""

_not_true(r, attr) if {
	not res.is_undecided(r, [attr])
	not res.raw(r, [attr]) in {true, "true"}
}
