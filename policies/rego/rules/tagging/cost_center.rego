package baseplate.rules.tagging

import rego.v1

import data.baseplate.lib.tags

# METADATA
# title: The CostCenter tag is a finance code
# description: CostCenter, where known, is "CC-" followed by 4 to 6 digits, e.g. CC-1042.
# custom:
#   id: TAG-005
#   severity: low
#   enforcement: mandatory
#   controls: [SOC 2 CC6.1]
#   remediation: Set CostCenter to the finance code, CC- and 4-6 digits, e.g. CC-1042.
#   message: "{address} has CostCenter = {observed}; expected CC- and 4-6 digits."
#   resource_types: ["*"]
#   sources: both
deny contains finding if {
	some s in tags.summaries
	some [attribute, observed] in _found("TAG-005", s)
	finding := {"rule": "TAG-005", "address": s.address, "attribute": attribute, "observed": observed}
}

cost_center_pattern := `^CC-[0-9]{4,6}$`

tag_rules contains "TAG-005"

_fails("TAG-005", s) := {["tags.CostCenter", v] |
	v := _value(s, "CostCenter")
	not _matches(cost_center_pattern, v)
}
