# METADATA
# title: IAM policy document helpers
# description: |
#   Turns every form of policy document into one list of normalised statements:
#   JSON strings (aws_iam_policy.policy, aws_iam_role.assume_role_policy, bucket and key
#   policies), already-decoded objects, and aws_iam_policy_document data sources reached
#   through references (synth) or rendered as JSON (plan).
#
#   A normalised statement:
#     {"sid": string, "effect": "Allow"|"Deny", "actions": [string], "not_actions": [string],
#      "resources": [string], "not_resources": [string], "principals": [string],
#      "not_principals": [string], "has_principal": bool,
#      "principal_entries": [{"type","id"}], "not_principal_entries": [{"type","id"}],
#      "has_not_principal": bool, "conditions": [{"test","variable","values"}]}
#   principals holds every principal identifier of every type; "*" means anyone
#   ("Principal": "*" or {"AWS": "*"}).
package baseplate.lib.iam

import rego.v1

import data.baseplate.lib.resources as res

# parse(doc) is the policy document object for a JSON string or an object; undefined for
# invalid JSON (a bare reference such as "${data.aws_iam_policy_document.p.json}" is not JSON)
# and other types. A JSON document whose values hold references (a Resource of
# "${aws_s3_bucket.b.arn}/*") is parsed: its statements are judged, the references staying
# opaque strings.
parse(doc) := obj if {
	is_string(doc)
	json.is_valid(doc)
	obj := json.unmarshal(doc)
	is_object(obj)
}

parse(doc) := doc if is_object(doc)

# statements(doc) is the normalised statements of a policy document (JSON string or object).
statements(doc) := object_statements(obj) if {
	obj := parse(doc)
} else := []

# object_statements(obj) is the normalised statements of a parsed policy document.
object_statements(obj) := [normalise(s) | some s in res.as_array(object.get(obj, "Statement", null)); is_object(s)]

# normalise(s) is one JSON policy statement in normalised form.
normalise(s) := {
	"sid": object.get(s, "Sid", ""),
	"effect": object.get(s, "Effect", ""),
	"actions": res.string_list(object.get(s, "Action", null)),
	"not_actions": res.string_list(object.get(s, "NotAction", null)),
	"resources": res.string_list(object.get(s, "Resource", null)),
	"not_resources": res.string_list(object.get(s, "NotResource", null)),
	"principals": principal_values(object.get(s, "Principal", null)),
	"not_principals": principal_values(object.get(s, "NotPrincipal", null)),
	"has_principal": "Principal" in object.keys(s),
	"principal_entries": principal_entries(object.get(s, "Principal", null)),
	"not_principal_entries": principal_entries(object.get(s, "NotPrincipal", null)),
	"has_not_principal": "NotPrincipal" in object.keys(s),
	"conditions": json_conditions(object.get(s, "Condition", null)),
}

# principal_values(p) is every identifier in a JSON Principal element.
principal_values("*") := ["*"]

principal_values(p) := [id |
	some ids in p
	some id in res.string_list(ids)
] if is_object(p)

principal_values(p) := [] if {
	p != "*"
	not is_object(p)
}

# principal_entries(p) is every identifier of a JSON Principal element with its type:
# [{"type": "AWS"|"Service"|"Federated"|"CanonicalUser"|"*", "id": string}]; "Principal": "*"
# gives type "*".
principal_entries("*") := [{"type": "*", "id": "*"}]

principal_entries(p) := [{"type": t, "id": id} |
	some t, ids in p
	some id in res.string_list(ids)
] if is_object(p)

principal_entries(p) := [] if {
	p != "*"
	not is_object(p)
}

# json_conditions(c) flattens a JSON Condition element into {"test","variable","values"} rows.
json_conditions(c) := [{"test": op, "variable": key, "values": res.scalar_strings(vals)} |
	is_object(c)
	some op, block in c
	is_object(block)
	some key, vals in block
]

# document_statements(r) is the normalised statements of an aws_iam_policy_document data
# source: its rendered JSON when known (plan), else its statement blocks plus any
# source_policy_documents and override_policy_documents given as JSON.
document_statements(r) := statements(doc) if {
	doc := res.known(r, ["json"])
	parse(doc)
} else := array.concat(
	[block_statement(b) | some b in res.blocks(r, "statement")],
	[s |
		some attr in ["source_policy_documents", "override_policy_documents"]
		some doc in res.as_array(object.get(res.values(r), attr, null))
		some s in statements(doc)
	],
)

# block_statement(b) is one statement block of aws_iam_policy_document in normalised form.
block_statement(b) := {
	"sid": object.get(b, "sid", ""),
	"effect": _block_effect(b),
	"actions": res.string_list(object.get(b, "actions", null)),
	"not_actions": res.string_list(object.get(b, "not_actions", null)),
	"resources": res.string_list(object.get(b, "resources", null)),
	"not_resources": res.string_list(object.get(b, "not_resources", null)),
	"principals": _block_principals(b, "principals"),
	"not_principals": _block_principals(b, "not_principals"),
	"has_principal": count(res.sub_blocks(b, "principals")) > 0,
	"principal_entries": _block_principal_entries(b, "principals"),
	"not_principal_entries": _block_principal_entries(b, "not_principals"),
	"has_not_principal": count(res.sub_blocks(b, "not_principals")) > 0,
	"conditions": [{
		"test": object.get(c, "test", ""),
		"variable": object.get(c, "variable", ""),
		"values": res.scalar_strings(object.get(c, "values", null)),
	} |
		some c in res.sub_blocks(b, "condition")
	],
}

_block_effect(b) := e if {
	e := b.effect
	is_string(e)
} else := "Allow"

_block_principal_entries(b, attr) := [{"type": _string_or_empty(object.get(p, "type", "")), "id": id} |
	some p in res.sub_blocks(b, attr)
	some id in res.string_list(object.get(p, "identifiers", null))
]

_string_or_empty(x) := x if is_string(x)

_string_or_empty(x) := "" if not is_string(x)

_block_principals(b, attr) := [id |
	some p in res.sub_blocks(b, attr)
	some id in res.string_list(object.get(p, "identifiers", null))
]

# policy_documents is every aws_iam_policy_document data source by address. Addresses are
# unique by contract; when malformed input repeats one, the index is empty and lookups scan
# the list instead (documents_at), rather than failing with a conflict.
default policy_documents := {}

policy_documents := {res.address(r): r | some r in _documents} if _unique_document_addresses

_documents := res.data_sources("aws_iam_policy_document")

_document_addresses := {res.address(r) | some r in _documents}

_unique_document_addresses if count(_document_addresses) == count(_documents)

# documents_at(addr) is the policy document data sources at address addr.
documents_at(addr) := [policy_documents[addr]] if _unique_document_addresses

documents_at(addr) := [r | some r in _documents; res.address(r) == addr] if not _unique_document_addresses

# is_document(addr) holds when a policy document data source has address addr.
is_document(addr) if _document_addresses[addr]

# attribute_statements(r, attr) is the normalised statements of the policy document in r's
# top-level attribute attr; see path_statements.
attribute_statements(r, attr) := path_statements(r, [attr])

# path_statements(r, path) is the normalised statements of the policy document at path in r's
# values: parsed when the value is a known JSON string; otherwise taken from the
# aws_iam_policy_document data sources r references whose address appears in the value
# (synth: "${data.aws_iam_policy_document.p.json}"), or from every referenced document when the
# value is unknown until apply (plan).
path_statements(r, path) := value_statements(r, res.raw(r, path), path)

# value_statements(r, v, path) is path_statements for a value v already read from r (for
# example from a nested block given as a bare object); path is only used for unknown checks.
value_statements(r, v, path) := object_statements(obj) if {
	not res.is_unknown(r, path)
	obj := parse(v)
} else := [s |
	some addr in value_documents(r, v, path)
	some d in documents_at(addr)
	some s in document_statements(d)
]

# referenced_documents(r, path) is the addresses of the policy document data sources that feed
# the value at path in r.
referenced_documents(r, path) := value_documents(r, res.raw(r, path), path)

value_documents(r, v, _) := {addr |
	some addr in res.references(r)
	is_document(addr)
	contains(v, concat("", [addr, "."]))
} if res.is_reference(v)

value_documents(r, v, path) := {addr |
	some addr in res.references(r)
	is_document(addr)
} if {
	not res.is_reference(v)
	res.is_unknown(r, path)
}

# has_document(r, path) holds when the statements at path could be determined: a JSON document,
# or at least one referenced policy document data source.
has_document(r, path) if {
	parse(res.raw(r, path))
	not res.is_unknown(r, path)
}

has_document(r, path) if count(referenced_documents(r, path)) > 0

# allows(s) holds for an Allow statement.
allows(s) if s.effect == "Allow"

# is_wildcard_action(a) holds for "*" and "service:*" style actions.
is_wildcard_action("*")

is_wildcard_action(a) if endswith(a, ":*")

# is_public_principal(s) holds when the statement's principal is anyone ("*").
is_public_principal(s) if "*" in s.principals

# is_conditioned(s) holds when the statement carries at least one condition.
is_conditioned(s) if count(s.conditions) > 0

# action_matches(pattern, action) holds when an IAM action pattern (with * and ?) matches
# action, case-insensitively as IAM does.
action_matches(pattern, action) if glob.match(lower(pattern), [], lower(action))

# grants_all(s) holds when an Allow statement grants every action ("*" or NotAction).
grants_all(s) if {
	allows(s)
	"*" in s.actions
}

# is_admin(s) holds for an Allow of every action on every resource.
is_admin(s) if {
	grants_all(s)
	"*" in s.resources
}
