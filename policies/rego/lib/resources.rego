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
_resources := rs if {
	rs := input.resources
	is_object(rs)
} else := {}

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
actions(r) := [a | some a in as_array(object.get(r, "actions", [])); is_string(a)]

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

# get(x, path) is the value at path (an array of object keys and array indices) inside the
# object x; undefined when any step is missing or of the wrong type.
get(x, path) := v if {
	is_object(x)
	v := object.get(x, path, _missing)
	v != _missing
}

_missing := {"baseplate.missing": true}

# raw(r, path) is the value at path in r's values, or null when missing.
raw(r, path) := v if {
	v := get(values(r), path)
} else := null

# is_unknown(r, path) holds when the plan marks the value at path, or any enclosing block,
# as unknown until apply.
is_unknown(r, path) if {
	some i in numbers.range(0, count(path))
	get(unknowns(r), array.slice(path, 0, i)) == true
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
blocks(r, attr) := [b | some b in as_array(object.get(values(r), attr, null)); is_object(b)]

# sub_blocks(b, attr) is the nested block attr inside block b as a list of objects.
sub_blocks(b, attr) := [x | some x in as_array(object.get(b, attr, null)); is_object(x)]

# references(r) is r's references as a list of strings.
references(r) := [a | some a in as_array(object.get(r, "references", [])); is_string(a)]

# ref_matches(ref, addr) holds when the reference ref names the resource at addr: equal, or
# addr is an instance of ref (a count or for_each index) in a plan.
ref_matches(ref, addr) if ref == addr

ref_matches(ref, addr) if startswith(addr, concat("", [ref, "["]))

# refers_to(r, addr) holds when resource r references the resource at addr.
refers_to(r, addr) if {
	some ref in references(r)
	ref_matches(ref, addr)
}

# referrers(t, target) is the resources of type t (managed, live) that reference target.
referrers(t, target) := [r |
	some r in live(t)
	refers_to(r, address(target))
]

# referenced_by(t, target) holds when some live resource of type t references target.
referenced_by(t, target) if count(referrers(t, target)) > 0

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
environment := e if {
	e := input.environment
	is_object(e)
} else := {}

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

# string_list(x) is x as a list of strings: a string becomes [x], non-strings are dropped.
string_list(x) := [x] if is_string(x)

string_list(x) := [s | some s in x; is_string(s)] if is_array(x)

string_list(x) := [] if {
	not is_string(x)
	not is_array(x)
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

_scalars(x) := [] if x == null

_scalar_string(v) := v if is_string(v)

_scalar_string(v) := json.marshal(v) if {
	not is_string(v)
	not is_object(v)
	not is_array(v)
}
