# METADATA
# title: Tag helpers
# description: |
#   Effective tags of a resource: the provider's default_tags (input.providers, see
#   policies/CONTRACT.md), then tags_all (plan), then the resource's own tags, later ones
#   winning, exactly as the AWS provider merges them.
package baseplate.lib.tags

import rego.v1

import data.baseplate.lib.resources as res
import data.baseplate.lib.taggable

# provider(r) is the provider configuration object r uses ({} when unknown).
provider(r) := p if {
	key := r.provider
	is_string(key)
	p := input.providers[key]
	is_object(p)
} else := p if {
	# resources without an explicit provider use the default configuration of their provider
	not _names_provider(r)
	p := input.providers.aws
	is_object(p)
} else := {}

_names_provider(r) if is_string(r.provider)

# default_tags(r) is the provider default_tags that apply to r (values as written).
# The leading {} matters: in OPA-Wasm object.union_n([]) is undefined, not {}.
# Memoized per provider configuration: every resource of a configuration shares them.
default_tags(r) := object.get(_default_tags_by_key, _provider_key(r), {})

_provider_key(r) := k if {
	k := r.provider
	is_string(k)
} else := "aws"

default _providers := {}

_providers := p if {
	p := input.providers
	is_object(p)
}

_default_tags_by_key := {key: _merged_default_tags(p) |
	some key, p in _providers
	is_object(p)
}

_merged_default_tags(p) := object.union_n(array.concat([{}], [block.tags |
	some block in res.as_array(object.get(p, "default_tags", null))
	is_object(block)
	is_object(block.tags)
]))

# own_tags(r) is the resource's own tags object ({} when missing or not an object).
own_tags(r) := t if {
	t := res.values(r).tags
	is_object(t)
} else := {}

# all_tags(r) is the provider-computed tags_all object ({} when missing, unknown or not an object).
all_tags(r) := t if {
	t := res.values(r).tags_all
	is_object(t)
} else := {}

# effective(r) is the tags AWS will apply to r: default_tags, tags_all and tags merged.
effective(r) := default_tags(r) if {
	_inherits_only(r)
} else := object.union_n([default_tags(r), all_tags(r), own_tags(r)])

# undecided(r) holds when the set of tags cannot be known before apply: the whole tags or
# tags_all value is a reference or unknown, and no tags are known from elsewhere.
undecided(r) if {
	some attr in ["tags", "tags_all"]
	res.is_undecided(r, [attr])
}

# value_undecided(r, key) holds when tag key is present but its value is a reference or unknown.
value_undecided(r, key) if {
	_inherits_only(r)
	profiles[_provider_key(r)].undecided_keys[key]
}

value_undecided(r, key) if {
	not _inherits_only(r)
	res.is_reference(effective(r)[key])
}

value_undecided(r, key) if res.is_unknown(r, ["tags_all", key])

value_undecided(r, key) if res.is_unknown(r, ["tags", key])

# value(r, key) is the known string value of tag key on r. A resource that only inherits its
# provider's default_tags reads them from the shared profile (computed once).
value(r, key) := v if {
	_inherits_only(r)
	v := profiles[_provider_key(r)].known[key]
} else := v if {
	not _inherits_only(r)
	v := effective(r)[key]
	is_string(v)
	not value_undecided(r, key)
}

# is_taggable(type) holds for AWS resource types that accept tags (and default_tags).
is_taggable(type) if taggable.types[type]

# taggable_resources is every live managed resource of a taggable type in the input. An array,
# not a set: building a set of large objects is quadratic in OPA-Wasm.
taggable_resources := [r |
	some type, _ in _resources_object
	is_taggable(type)
	some r in res.live(type)
]

default _resources_object := {}

_resources_object := rs if {
	rs := input.resources
	is_object(rs)
}

# summaries is one entry per live taggable resource, with its effective tags computed once per
# evaluation (rules that look at several tags of every resource read these):
#   {"resource": r, "address": string, "tags": object, "known": object of the known string
#    values (no reference, not unknown), "undecided_keys": set of tag keys whose
#    value is a reference or unknown, "unknown": bool (the whole tags/tags_all is unknown),
#    "undecided": bool (the whole tags/tags_all is a reference or unknown),
#    "profile": the provider configuration key when the resource has no tags of its own (no
#    tags, tags_all or unknown markers), so its tags are exactly that provider's default_tags;
#    else null. Rules may compute verdicts once per profile instead of once per resource.}
summaries := [summary(r) | some r in taggable_resources]

summary(r) := {
	"resource": r,
	"address": res.address(r),
	"tags": p.tags,
	"known": p.known,
	"undecided_keys": p.undecided_keys,
	"unknown": false,
	"undecided": false,
	"profile": key,
} if {
	_inherits_only(r)
	key := _provider_key(r)
	p := profiles[key]
} else := {
	"resource": r,
	"address": res.address(r),
	"tags": eff,
	"known": _known_values(eff, undecided_keys, whole_unknown),
	"undecided_keys": undecided_keys,
	"unknown": whole_unknown,
	"undecided": _undecided_flag(r),
	"profile": null,
} if {
	eff := effective(r)
	undecided_keys := _undecided_keys(r, eff)
	whole_unknown := _whole_unknown(r)
}

# profile_of(r) is the key of the shared tag profile (profiles) r uses; undefined when r has
# tags of its own.
profile_of(r) := key if {
	_inherits_only(r)
	key := _provider_key(r)
	profiles[key]
}

# _inherits_only(r) holds when r's effective tags are its provider's default_tags alone: no
# tags, no tags_all, nothing unknown (always so for an untagged resource in a synthesized stack).
_inherits_only(r) if {
	values := res.values(r)
	object.get(values, "tags", null) == null
	object.get(values, "tags_all", null) == null
	count(res.unknowns(r)) == 0
}

# profiles is the tag summary shared by every resource that only inherits the default_tags of
# a provider configuration, by configuration key (plus "aws" when that configuration is absent),
# computed once per evaluation.
profiles := {key: _profile(tags) |
	some key, tags in object.union({"aws": {}}, _default_tags_by_key)
}

_profile(tags) := {
	"tags": tags,
	"known": _known_values(tags, undecided_keys, false),
	"undecided_keys": undecided_keys,
} if {
	undecided_keys := {k | some k, v in tags; res.is_reference(v)}
}

# The known string values of the tags: not a reference, not unknown.
_known_values(eff, undecided_keys, false) := {k: v |
	some k, v in eff
	is_string(v)
	not undecided_keys[k]
}

_known_values(_, _, true) := {}

_undecided_keys(r, eff) := {k | some k, v in eff; res.is_reference(v)} | {k |
	some attr in ["tags", "tags_all"]
	u := res.unknowns(r)[attr]
	is_object(u)
	some k, flag in u
	flag == true
}

default _undecided_flag(_) := false

_undecided_flag(r) if undecided(r)

default _whole_unknown(_) := false

_whole_unknown(r) if res.unknowns(r).tags == true

_whole_unknown(r) if res.unknowns(r).tags_all == true

# summary_value(s, key) is the known string value of tag key in summary s.
summary_value(s, key) := s.known[key]

# summary_undecided(s, key) holds when tag key's value in summary s cannot be known before apply.
summary_undecided(s, _) if s.unknown

summary_undecided(s, key) if s.undecided_keys[key]
