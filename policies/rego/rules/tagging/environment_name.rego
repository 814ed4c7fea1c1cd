package baseplate.rules.tagging

import rego.v1

import data.baseplate.lib.resources as res
import data.baseplate.lib.tags

# METADATA
# title: The Environment tag names the stack's environment
# description: |
#   The Environment tag, where known, is an environment name as the modules validate it
#   (lowercase letters, digits and hyphens, 2 to 12 characters, starting with a letter: dev,
#   qa, prod-eu) and, when the stack's environment name is known, equals it. Environments are
#   named freely; the tier (dev, stage, prod) is separate.
# custom:
#   id: TAG-002
#   severity: medium
#   enforcement: mandatory
#   controls: [SOC 2 CC8.1, SOC 2 CC6.1]
#   remediation: Set Environment to the stack's environment name (the baseline stack derives it from the environment configuration).
#   message: "{address} has Environment = {observed}; use the stack's environment name."
#   resource_types: ["*"]
#   sources: both
deny contains finding if {
	some s in tags.summaries
	some [attribute, observed] in _found("TAG-002", s)
	finding := {"rule": "TAG-002", "address": s.address, "attribute": attribute, "observed": observed}
}

# Environment names as modules/src/baseline validates them.
environment_name_pattern := `^[a-z][a-z0-9-]{0,10}[a-z0-9]$`

_environment_tag_ok(v) if {
	_matches(environment_name_pattern, v)
	not res.env_name
}

_environment_tag_ok(v) if {
	_matches(environment_name_pattern, v)
	v == res.env_name
}

tag_rules contains "TAG-002"

_fails("TAG-002", s) := {["tags.Environment", v] |
	v := _value(s, "Environment")
	not _environment_tag_ok(v)
}
