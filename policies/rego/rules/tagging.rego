# METADATA
# title: Tagging guardrails
# description: |
#   Every taggable resource (rego/lib/taggable.rego, generated from the AWS provider schema)
#   carries the mandatory tags with valid values, counting the provider's default_tags
#   (see lib/tags.rego). Validation matches modules/src/baseline/tags.ts.
package baseplate.rules.tagging

import rego.v1

import data.baseplate.lib.resources as res
import data.baseplate.lib.tags

mandatory_tags := ["Owner", "CostCenter", "Environment", "Service", "DataClassification", "ManagedBy", "Repository"]

environments := {"dev", "stage", "prod"}

# Environment names as modules/src/baseline validates them.
environment_name_pattern := `^[a-z][a-z0-9-]{0,10}[a-z0-9]$`

data_classifications := {"public", "internal", "confidential", "restricted"}

managed_by := "baseplate"

owner_pattern := `^([a-z0-9][a-z0-9-]{1,62}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})$`

cost_center_pattern := `^CC-[0-9]{4,6}$`

service_pattern := `^[a-z][a-z0-9-]{0,39}$`

repository_pattern := `^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`

# _present(s, key) holds when tag key has a non-empty value, or a value only known at apply.
_present(s, key) if tags.summary_undecided(s, key)

_present(s, key) if {
	v := s.tags[key]
	is_string(v)
	trim_space(v) != ""
}

_present(s, key) if {
	v := s.tags[key]
	not is_string(v)
	v != null
}

# _missing(s) is the mandatory tags summary s lacks.
_missing(s) := [key |
	some key in mandatory_tags
	not _present(s, key)
]

# METADATA
# title: Taggable resources carry every mandatory tag
# description: |
#   Owner, CostCenter, Environment, Service, DataClassification, ManagedBy and Repository are
#   present and non-empty on every resource whose type takes tags, counting the provider's
#   default_tags. Resources whose whole tag set is unknown until apply are not judged.
# custom:
#   id: TAG-001
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP Config.1, SOC 2 CC6.1, SOC 2 CC8.1]
#   remediation: Build the stack on the baseline stack (its provider default_tags carry every mandatory tag), or add the missing tags to the resource.
#   message: "{address} is missing the mandatory tags {observed}."
#   resource_types: ["*"]
#   sources: both
deny contains finding if {
	some s in tags.summaries
	some [attribute, observed] in _found("TAG-001", s)
	finding := {"rule": "TAG-001", "address": s.address, "attribute": attribute, "observed": observed}
}

# Nothing can be said before apply: the tags are a reference or unknown and no tag is known
# from elsewhere.
_all_undecided(s) if {
	s.undecided
	count(s.tags) == 0
}

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

_environment_tag_ok(v) if {
	_matches(environment_name_pattern, v)
	not res.env_name
}

_environment_tag_ok(v) if {
	_matches(environment_name_pattern, v)
	v == res.env_name
}

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

_stack_environment := res.env_name if res.env_name in environments

_stack_environment := res.tier if {
	not _name_is_environment
	res.tier in environments
}

_name_is_environment if res.env_name in environments

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

# _value(s, key) is the known, non-empty value of tag key; a non-string value is reported as is.
_value(s, key) := v if {
	v := tags.summary_value(s, key)
	trim_space(v) != ""
}

_value(s, key) := v if {
	v := s.tags[key]
	not is_string(v)
	v != null
}

_matches(pattern, v) if {
	is_string(v)
	regex.match(pattern, v)
}

# --- verdicts ----------------------------------------------------------------------------
# _fails(rule, s) is the set of [attribute, observed] rule reports for tag summary s. Resources
# that only inherit a provider's default_tags share one tag profile (tags.profiles): their
# verdicts are computed once per profile, so a stack of thousands of such resources costs a
# lookup per resource and rule.

tag_rules := ["TAG-001", "TAG-002", "TAG-003", "TAG-004", "TAG-005", "TAG-006", "TAG-007"]

_found(rule, s) := _profile_found[s.profile][rule] if is_string(s.profile)

_found(rule, s) := _fails(rule, s) if not is_string(s.profile)

_profile_found := {key: {rule: _fails(rule, p) | some rule in tag_rules} |
	some key, p in tags.profiles
}

_fails("TAG-001", s) := {["tags", missing] |
	missing := _missing(s)
	count(missing) > 0
	not _all_undecided(s)
}

_fails("TAG-002", s) := {["tags.Environment", v] |
	v := _value(s, "Environment")
	not _environment_tag_ok(v)
}

_fails("TAG-003", s) := {["tags.Environment", v] |
	expected := _stack_environment
	v := _value(s, "Environment")
	v in environments
	v != expected
}

_fails("TAG-004", s) := {["tags.DataClassification", v] |
	v := _value(s, "DataClassification")
	not v in data_classifications
}

_fails("TAG-005", s) := {["tags.CostCenter", v] |
	v := _value(s, "CostCenter")
	not _matches(cost_center_pattern, v)
}

_fails("TAG-006", s) := {["tags.Owner", v] |
	v := _value(s, "Owner")
	not _matches(owner_pattern, v)
}

_fails("TAG-007", s) := {[concat(".", ["tags", key]), v] |
	some [key, pattern] in [["Service", service_pattern], ["Repository", repository_pattern]]
	v := _value(s, key)
	not _matches(pattern, v)
} | {["tags.ManagedBy", v] |
	v := _value(s, "ManagedBy")
	v != managed_by
}
