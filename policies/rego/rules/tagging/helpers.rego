# METADATA
# title: Tagging guardrails
# description: |
#   Every taggable resource (rego/lib/taggable.rego, generated from the AWS provider schema)
#   carries the mandatory tags with valid values, counting the provider's default_tags
#   (see lib/tags.rego). Validation matches modules/src/baseline/tags.ts.
package baseplate.rules.tagging

import rego.v1

import data.baseplate.lib.tags

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
# lookup per resource and rule. Each rule file adds its id to tag_rules and defines its _fails.

_found(rule, s) := _profile_found[s.profile][rule] if is_string(s.profile)

_found(rule, s) := _fails(rule, s) if not is_string(s.profile)

_profile_found := {key: {rule: _fails(rule, p) | some rule in tag_rules} |
	some key, p in tags.profiles
}
