# METADATA
# title: Resource helpers
# description: |
#   Tolerant access to the policy input (policies/CONTRACT.md): resources of a type, values,
#   known/unknown semantics, nested blocks, references and the environment. Every helper
#   accepts broken input (missing fields, nulls, wrong types) without raising an error.
package baseplate.lib.resources

import rego.v1

# of_type(t) is the list of input resources of type t that are objects; [] when the type is
# absent or the input is malformed. Backed by an index built once per evaluation.
of_type(t) := object.get(_by_type, t, [])

# managed(t) is the managed (non-data) resources of type t.
managed(t) := object.get(_managed_by_type, t, [])

# data_sources(t) is the data sources of type t (mode "data").
data_sources(t) := [r | some r in of_type(t); r.mode == "data"]

# live(t) is the managed resources of type t that exist after the change: everything except
# plain deletes and forgets. Posture rules iterate these; change rules look at actions.
live(t) := object.get(_live_by_type, t, [])

# Indexes by type, computed once per evaluation (complete rules are memoized, functions are
# not), so a rule calling live(t) per resource does not rebuild the list each time.
default _resources := {}

_resources := rs if {
	rs := input.resources
	is_object(rs)
}

_by_type := {t: [r | some r in rs; is_object(r)] |
	some t, rs in _resources
	is_array(rs)
}

_managed_by_type := {t: [r | some r in rs; object.get(r, "mode", "managed") != "data"] |
	some t, rs in _by_type
}

_live_by_type := {t: [r | some r in rs; not gone(r)] |
	some t, rs in _managed_by_type
}

# gone(r) holds when the plan removes r without creating a replacement.
gone(r) if {
	acts := actions(r)
	"delete" in acts
	not "create" in acts
}

gone(r) if "forget" in actions(r)

# actions(r) is the plan actions of r as an array of strings ([] on synth or malformed input).
actions(r) := _array_strings(object.get(r, "actions", []))

# address(r) is the resource address, or "(unknown address)" when it is missing.
address(r) := a if {
	a := r.address
	is_string(a)
	a != ""
} else := "(unknown address)"

# values(r) is the resource's values object ({} when missing or not an object).
values(r) := v if {
	v := r.values
	is_object(v)
} else := {}

# unknowns(r) is the resource's unknown object ({} when missing or not an object).
unknowns(r) := u if {
	u := r.unknown
	is_object(u)
} else := {}

# is_reference(v) holds for a synth reference or expression string such as "${aws_kms_key.k.arn}".
is_reference(v) if {
	is_string(v)
	contains(v, "${")
}

# token_addresses(v) is the set of resource addresses named in the `${<type>.<name>.<attr>}`
# tokens of the string v (synth): "${aws_kms_key.k.arn}" -> {"aws_kms_key.k"}. Empty for
# anything else. Lets a rule look a token up in a set instead of testing each resource.
token_addresses(v) := {m[1] |
	some m in regex.find_all_string_submatch_n(`\$\{([^.{}]+\.[^.{}]+)\.`, v, -1)
} if is_string(v)

token_addresses(v) := set() if not is_string(v)

# get(x, path) is the value at path (an array of object keys and array indices) inside the
# object x; undefined when any step is missing or of the wrong type.
get(x, path) := v if {
	is_object(x)
	v := object.get(x, path, _missing)
	v != _missing
}

_missing := {"baseplate.missing": true}

# raw(r, path) is the value at path in r's values, or null when missing.
raw(r, path) := object.get(values(r), path, null)

# is_unknown(r, path) holds when the plan marks the value at path, or any enclosing block,
# as unknown until apply. A synthesized stack's `unknown` is always {}: nothing to walk.
is_unknown(r, path) if {
	u := r.unknown
	is_object(u)
	count(u) > 0
	some i in numbers.range(1, count(path))
	object.get(u, array.slice(path, 0, i), null) == true
}

# is_known(r, path) holds when the value at path is present, not null, not a synth reference
# string and not unknown in the plan.
is_known(r, path) if {
	v := raw(r, path)
	v != null
	not is_reference(v)
	not is_unknown(r, path)
}

# known(r, path) is the value at path when it is known; undefined otherwise.
known(r, path) := v if {
	is_known(r, path)
	v := raw(r, path)
}

# is_unset(r, path) holds when the value at path is absent or null and not unknown: the
# provider default applies.
is_unset(r, path) if {
	raw(r, path) == null
	not is_unknown(r, path)
}

# is_undecided(r, path) holds when the value cannot be judged before apply: a reference
# string or a value unknown in the plan.
is_undecided(r, path) if is_reference(raw(r, path))

is_undecided(r, path) if is_unknown(r, path)

# as_array(x) is x when x is an array, [x] when x is an object, and [] otherwise
# (null, missing, strings, numbers, booleans).
as_array(x) := x if is_array(x)

as_array(x) := [x] if is_object(x)

as_array(x) := [] if {
	not is_array(x)
	not is_object(x)
}

# blocks(r, attr) is the nested block attr of r as a list of objects.
blocks(r, attr) := object_list(object.get(values(r), attr, null))

# sub_blocks(b, attr) is the nested block attr inside block b as a list of objects.
sub_blocks(b, attr) := object_list(object.get(b, attr, null))

# object_list(x) is x as a list of objects: an object becomes [x], anything else is dropped.
# A list that holds only objects is returned as it is (no copy: every value built stays
# allocated until the evaluation ends).
object_list(x) := [x] if is_object(x)

object_list(x) := x if {
	is_array(x)
	_all_objects(x)
}

object_list(x) := [b | some b in x; is_object(b)] if {
	is_array(x)
	not _all_objects(x)
}

object_list(x) := [] if {
	not is_array(x)
	not is_object(x)
}

_all_objects(x) if {
	every b in x {
		is_object(b)
	}
}

# references(r) is r's references as a list of strings.
references(r) := _array_strings(object.get(r, "references", []))

# _array_strings(x) is the strings of the array x ([] for anything that is not an array).
_array_strings(x) := string_list(x) if is_array(x)

_array_strings(x) := [] if not is_array(x)

# ref_matches(ref, addr) holds when the reference ref names the resource at addr: equal, or
# addr is an instance of ref (a count or for_each index) in a plan.
ref_matches(ref, addr) if ref == addr

ref_matches(ref, addr) if startswith(addr, concat("", [ref, "["]))

# refers_to(r, addr) holds when resource r references the resource at addr.
refers_to(r, addr) if {
	some ref in references(r)
	ref_matches(ref, addr)
}

# address_keys(a) is the reference strings that name the resource at address a: a itself and
# each prefix ending before an instance key (`aws_subnet.s` and `module.m` for
# `module.m["x"].aws_subnet.s[0]`), matching ref_matches.
address_keys(a) := array.concat([a], [concat("[", array.slice(parts, 0, k)) |
	some k in numbers.range(1, count(parts) - 1)
]) if {
	is_string(a)
	parts := split(a, "[")
	count(parts) > 1
} else := [a]

# reference_set(t) is the set of every reference string of the live resources of type t,
# computed once per evaluation: `reference_set(t)[k]` is a hash lookup.
reference_set(t) := object.get(_references_by_type, t, {})

_references_by_type := {t: {ref | some x in rs; some ref in references(x)} |
	some t, rs in _live_by_type
}

# referenced_by(t, target) holds when some live resource of type t references target.
# Cost: a few hash lookups, whatever the number of resources.
referenced_by(t, target) if {
	some k in address_keys(address(target))
	reference_set(t)[k]
}

# referrers(t, target) is the resources of type t (managed, live) that reference target.
referrers(t, target) := [r |
	some r in referencing(target, t)
	object.get(r, "mode", "managed") != "data"
	not gone(r)
]

# indexed holds when the input carries the reverse-reference index of policy-input 1.1
# (CONTRACT.md: `index` and each resource's `referenced_by`), as the normalizer writes it.
indexed if is_object(input.index)

# referencing(target, t) is the resources of type t (any mode) whose references name target.
# With the index: O(number of referrers), through target.referenced_by and input.index; each
# hit is checked against its own references. Without it (hand-written input): a scan of type t.
referencing(target, t) := [x |
	some a in string_list(object.get(target, "referenced_by", null))
	pos := input.index[a]
	is_array(pos)
	pos[0] == t
	x := _resources[t][pos[1]]
	is_object(x)
	refers_to(x, address(target))
] if indexed

referencing(target, t) := [x |
	some x in of_type(t)
	refers_to(x, address(target))
] if not indexed

# references_of_type(r, t) is the addresses r references that are of type t
# ("aws_kms_key" matches "aws_kms_key.k" and "module.m.aws_kms_key.k").
references_of_type(r, t) := [a |
	some a in references(r)
	_address_type(a) == t
]

_address_type(a) := parts[count(parts) - 2] if {
	parts := split(a, ".")
	count(parts) > 1
	not _is_data_address(parts)
}

_address_type(a) := concat(".", ["data", parts[count(parts) - 2]]) if {
	parts := split(a, ".")
	_is_data_address(parts)
}

_is_data_address(parts) if {
	count(parts) > 2
	parts[count(parts) - 3] == "data"
}

# environment is the input environment object ({} when missing).
default environment := {}

environment := e if {
	e := input.environment
	is_object(e)
}

# env_name is the environment name when known.
env_name := n if {
	n := environment.name
	is_string(n)
	n != ""
}

# tier is the environment tier when known.
tier := t if {
	t := environment.tier
	is_string(t)
	t != ""
}

# is_prod holds when the environment is production by tier, or by name when the tier is unknown.
is_prod if tier == "prod"

is_prod if {
	not tier
	env_name in {"prod", "production"}
}

# is_plan holds when the input comes from a Terraform plan.
is_plan if input.source == "plan"

# string_list(x) is x as a list of strings: a string becomes [x], non-strings are dropped. A list
# of strings is returned as it is.
string_list(x) := [x] if is_string(x)

string_list(x) := x if {
	is_array(x)
	_all_strings(x)
}

string_list(x) := [s | some s in x; is_string(s)] if {
	is_array(x)
	not _all_strings(x)
}

string_list(x) := [] if {
	not is_string(x)
	not is_array(x)
}

_all_strings(x) if {
	every s in x {
		is_string(s)
	}
}

# scalar_strings(x) is x as a list of strings, with booleans and numbers rendered as JSON
# ("false", "1"): condition values in policy documents may be either.
scalar_strings(x) := [_scalar_string(v) | some v in _scalars(x)]

_scalars(x) := x if is_array(x)

_scalars(x) := [x] if {
	not is_array(x)
	not is_object(x)
	x != null
}

_scalars(x) := [] if is_object(x)

_scalars(null) := []

_scalar_string(v) := v if is_string(v)

_scalar_string(v) := json.marshal(v) if {
	not is_string(v)
	not is_object(v)
	not is_array(v)
}
