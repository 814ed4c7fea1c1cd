package baseplate.rules.tagging

import rego.v1

import data.baseplate.lib.resources as res
import data.baseplate.lib.tags

# METADATA
# title: The Environment tag matches the stack's environment
# description: |
#   A resource tagged for one environment must not be deployed by another environment's stack.
#   Compared with the stack's environment name when that is dev, stage or prod, else with its
#   tier; not judged when neither is known.
# custom:
#   id: TAG-003
#   severity: high
#   enforcement: mandatory
#   controls: [SOC 2 CC8.1, SOC 2 CC6.1]
#   remediation: Tag the resource with the environment of the stack that deploys it; do not copy resources between environment stacks.
#   message: "{address} is tagged Environment = {observed} but belongs to stack {stack}."
#   resource_types: ["*"]
#   sources: both
deny contains finding if {
	some s in tags.summaries
	some [attribute, observed] in _found("TAG-003", s)
	finding := {"rule": "TAG-003", "address": s.address, "attribute": attribute, "observed": observed}
}

environments := {"dev", "stage", "prod"}

_stack_environment := res.env_name if res.env_name in environments

_stack_environment := res.tier if {
	not _name_is_environment
	res.tier in environments
}

_name_is_environment if res.env_name in environments

tag_rules contains "TAG-003"

_fails("TAG-003", s) := {["tags.Environment", v] |
	is_string(_stack_environment)
	v := _value(s, "Environment")
	v in environments
	v != _stack_environment
}
