package baseplate.rules.tagging

import rego.v1

import data.baseplate.lib.tags

# METADATA
# title: Service, ManagedBy and Repository tags are well formed
# description: |
#   Service is a lowercase slug (up to 40 characters), ManagedBy is "baseplate", and Repository
#   is owner/name, where known.
# custom:
#   id: TAG-007
#   severity: low
#   enforcement: mandatory
#   controls: [SOC 2 CC8.1]
#   remediation: Set Service to a lowercase slug such as payments-api, ManagedBy to baseplate and Repository to owner/name (the baseline stack sets all three).
#   message: "{address} has an invalid {attribute} = {observed}."
#   resource_types: ["*"]
#   sources: both
deny contains finding if {
	some s in tags.summaries
	some [attribute, observed] in _found("TAG-007", s)
	finding := {"rule": "TAG-007", "address": s.address, "attribute": attribute, "observed": observed}
}

managed_by := "baseplate"

service_pattern := `^[a-z][a-z0-9-]{0,39}$`

repository_pattern := `^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`

tag_rules contains "TAG-007"

_fails("TAG-007", s) := {[concat(".", ["tags", key]), v] |
	some [key, pattern] in [["Service", service_pattern], ["Repository", repository_pattern]]
	v := _value(s, key)
	not _matches(pattern, v)
} | {["tags.ManagedBy", v] |
	v := _value(s, "ManagedBy")
	v != managed_by
}
