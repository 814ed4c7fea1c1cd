package baseplate.rules.tagging

import rego.v1

import data.baseplate.lib.tags

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

mandatory_tags := ["Owner", "CostCenter", "Environment", "Service", "DataClassification", "ManagedBy", "Repository"]

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

# Nothing can be said before apply: the tags are a reference or unknown and no tag is known
# from elsewhere.
_all_undecided(s) if {
	s.undecided
	count(s.tags) == 0
}

tag_rules contains "TAG-001"

_fails("TAG-001", s) := {["tags", missing] |
	missing := _missing(s)
	count(missing) > 0
	not _all_undecided(s)
}
