package baseplate.rules.tagging

import rego.v1

import data.baseplate.lib.tags

# METADATA
# title: The DataClassification tag is a known level
# description: DataClassification, where known, is public, internal, confidential or restricted.
# custom:
#   id: TAG-004
#   severity: medium
#   enforcement: mandatory
#   controls: [SOC 2 C1.1, SOC 2 CC6.1]
#   remediation: Set DataClassification to public, internal, confidential or restricted.
#   message: "{address} has DataClassification = {observed}; use public, internal, confidential or restricted."
#   resource_types: ["*"]
#   sources: both
deny contains finding if {
	some s in tags.summaries
	some [attribute, observed] in _found("TAG-004", s)
	finding := {"rule": "TAG-004", "address": s.address, "attribute": attribute, "observed": observed}
}

data_classifications := {"public", "internal", "confidential", "restricted"}

tag_rules contains "TAG-004"

_fails("TAG-004", s) := {["tags.DataClassification", v] |
	v := _value(s, "DataClassification")
	not v in data_classifications
}
