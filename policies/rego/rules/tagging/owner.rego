package baseplate.rules.tagging

import rego.v1

import data.baseplate.lib.tags

# METADATA
# title: The Owner tag is a team slug or an email address
# description: Owner, where known, is a lowercase team slug (e.g. payments-team) or an email address.
# custom:
#   id: TAG-006
#   severity: low
#   enforcement: mandatory
#   controls: [SOC 2 CC1.3, SOC 2 CC6.1]
#   remediation: Set Owner to the owning team's slug (e.g. payments-team) or a team email address.
#   message: "{address} has Owner = {observed}; use a team slug or an email address."
#   resource_types: ["*"]
#   sources: both
deny contains finding if {
	some s in tags.summaries
	some [attribute, observed] in _found("TAG-006", s)
	finding := {"rule": "TAG-006", "address": s.address, "attribute": attribute, "observed": observed}
}

owner_pattern := `^([a-z0-9][a-z0-9-]{1,62}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})$`

tag_rules contains "TAG-006"

_fails("TAG-006", s) := {["tags.Owner", v] |
	v := _value(s, "Owner")
	not _matches(owner_pattern, v)
}
