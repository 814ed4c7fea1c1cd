# METADATA
# title: Policy analysis, modelled on AWS's policy evaluation logic
# description: |
#   Judges normalised statements (data.baseplate.lib.iam: JSON documents, decoded objects,
#   aws_iam_policy_document data sources) the way AWS evaluates them:
#
#   - who: every principal form ("*", {"AWS": "*"}, account ids, account root / role / user
#     ARNs, services, federated identity providers, canonical users) and NotPrincipal (an Allow
#     with NotPrincipal grants everyone but the listed principals);
#   - what: action and resource patterns with IAM's wildcards ("*" any run, "?" one character;
#     actions case-insensitive), NotAction and NotResource (an Allow grants everything not
#     listed), so every spelling of "every action" ("*", "*:*", "*?", NotAction) and of "every
#     action of a service" ("iam:*", "iam:**", "IAM:*?") is recognised;
#   - conditions that narrow who: only keys that identify the caller or its network
#     (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceVpce, ...), with a
#     positive operator, without ...IfExists or ForAllValues (both match a request without the
#     key), and with concrete values (no match-everything wildcard, no 0.0.0.0/0).
#     aws:SecureTransport, aws:CurrentTime, kms:ViaService and the like narrow how or when, never who;
#   - the organization boundary: input.organization (CONTRACT.md, from governance/organization.json)
#     names the organization id and its member accounts, so "outside the organization" is decidable.
#
#   Each capability is listed in `forms` and proven by the case files that name it (README table).
package baseplate.lib.policy

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

# --- the organization boundary ----------------------------------------------------------

# organization is input.organization ({} when absent or malformed).
default organization := {}

organization := o if {
	o := input.organization
	is_object(o)
}

# org_id is the organization id (o-...) when configured.
org_id := id if {
	id := organization.id
	is_string(id)
	startswith(id, "o-")
}

# member_accounts is the set of the organization's account ids (plus the stack's own account).
member_accounts := {a |
	some a in res.string_list(object.get(organization, "accounts", []))
	_is_account_id(a)
} | _own

default _own := set()

_own := {own_account}

# own_account is the stack's account id when known.
own_account := a if {
	a := res.environment.account
	_is_account_id(a)
}

_is_account_id(a) if {
	is_string(a)
	regex.match(`^[0-9]{12}$`, a)
}

# account_relation(a) is "own", "org" (a member account), "external" (a concrete account id
# outside the organization, decidable when the own account is known) or "unknown".
account_relation(a) := "own" if {
	a == own_account
} else := "org" if {
	member_accounts[a]
} else := "external" if {
	_is_account_id(a)
	own_account
} else := "unknown"

# is_external_account(a) holds for a concrete account outside the organization.
is_external_account(a) if account_relation(a) == "external"

# --- principals --------------------------------------------------------------------------

# principal(e) classifies one principal entry {"type", "id"} of a normalised statement:
# {"kind": "world"|"account"|"service"|"federated"|"canonical"|"unknown", "account": string|null}.
# A wildcard anywhere in an AWS principal is read as "*" (AWS only accepts "*" alone: fail closed).
principal(e) := {"kind": "world", "account": null} if {
	e.id == "*"
} else := {"kind": "world", "account": null} if {
	e.type == "AWS"
	is_string(e.id)
	not res.is_reference(e.id)
	contains(e.id, "*")
} else := {"kind": "account", "account": a} if {
	e.type in {"AWS", "*"}
	a := arn_account(e.id)
	_is_account_id(a)
} else := {"kind": "account", "account": e.id} if {
	e.type in {"AWS", "*"}
	_is_account_id(e.id)
} else := {"kind": "service", "account": null} if {
	e.type == "Service"
} else := {"kind": "federated", "account": null} if {
	e.type == "Federated"
} else := {"kind": "canonical", "account": null} if {
	e.type == "CanonicalUser"
} else := {"kind": "unknown", "account": null}

# arn_account(arn) is the account field of an ARN (arn:partition:service:region:account:resource).
arn_account(arn) := parts[4] if {
	is_string(arn)
	parts := split(arn, ":")
	count(parts) >= 6
	parts[0] == "arn"
}

# principals_of(s) is the classification of every principal of s.
principals_of(s) := [principal(e) | some e in object.get(s, "principal_entries", [])]

# names_world(s) holds when s's principal is anyone: "*", {"AWS": "*"}, a wildcard AWS principal,
# or NotPrincipal (everyone except the listed principals).
names_world(s) if {
	some p in principals_of(s)
	p.kind == "world"
}

names_world(s) if s.has_not_principal == true

# external_principal_accounts(s) is the concrete accounts outside the organization that s names.
external_principal_accounts(s) := {p.account |
	some p in principals_of(s)
	p.kind == "account"
	is_external_account(p.account)
}

# services_of(s) / federated_of(s) is the service / identity-provider principals s names.
services_of(s) := {lower(e.id) | some e in object.get(s, "principal_entries", []); e.type == "Service"; is_string(e.id)}

federated_of(s) := {e.id | some e in object.get(s, "principal_entries", []); e.type == "Federated"; is_string(e.id)}

# --- actions and resources ----------------------------------------------------------------

_wild_only(x) if regex.match(`^[*?]*$`, x)

_wild_star(x) if {
	_wild_only(x)
	contains(x, "*")
}

# action_all(a) holds when the action pattern a matches every action: "*", "*:*", "**", "*?",
# "?*:*" (any spelling made only of wildcards, around at most one colon).
action_all(a) if {
	is_string(a)
	not contains(a, ":")
	_wild_star(a)
}

action_all(a) if {
	is_string(a)
	parts := split(a, ":")
	count(parts) == 2
	_wild_star(parts[0])
	_wild_star(parts[1])
}

# action_service_all(a) is the (lowercase) service prefix when a matches every action of a
# service: "iam:*", "IAM:**", "kms:*?". Undefined for "*" and for narrower patterns (s3:Get*).
action_service_all(a) := svc if {
	is_string(a)
	parts := split(lower(a), ":")
	count(parts) == 2
	svc := parts[0]
	svc != ""
	not _wild_only(svc)
	_wild_star(parts[1])
}

# action_matches(pattern, action) holds when an IAM action pattern matches action
# (case-insensitive, * and ?).
action_matches(pattern, action) if {
	is_string(pattern)
	glob.match(lower(pattern), [], lower(action))
}

# resource_all(r) holds when the resource pattern r matches every resource: "*", "*?",
# "arn:*", "arn:*:*", "arn:aws:*:*:*:*" (every field a wildcard, the partition possibly literal).
resource_all(r) if {
	is_string(r)
	_wild_star(r)
}

resource_all(r) if {
	is_string(r)
	parts := split(r, ":")
	count(parts) <= 6
	parts[0] == "arn"
	contains(parts[count(parts) - 1], "*")
	every i, x in parts {
		_arn_field_open(i, x)
	}
}

_arn_field_open(0, _) := true

_arn_field_open(i, x) if {
	i > 0
	_wild_only(x)
}

_arn_field_open(1, x) if startswith(x, "aws")

# grants_every_action(s) holds for an Allow of every action: an all-matching pattern, or
# NotAction (everything except the listed actions).
grants_every_action(s) if {
	iam.allows(s)
	some a in s.actions
	action_all(a)
}

grants_every_action(s) if {
	iam.allows(s)
	count(s.not_actions) > 0
}

# on_every_resource(s) holds when s applies to every resource ("*" in any spelling, NotResource).
on_every_resource(s) if {
	some r in s.resources
	resource_all(r)
}

on_every_resource(s) if count(s.not_resources) > 0

# is_admin(s) holds for an Allow of every action on every resource, in any spelling.
is_admin(s) if {
	grants_every_action(s)
	on_every_resource(s)
}

# service_admin(s) is the services of which s allows every action (iam:*, kms:**, ...).
service_admin(s) := {svc |
	iam.allows(s)
	some a in s.actions
	svc := action_service_all(a)
}

# allows_action(s, action) holds when Allow statement s grants action (a concrete action name):
# through a matching pattern, or through NotAction that does not exclude it.
allows_action(s, action) if {
	iam.allows(s)
	some a in s.actions
	action_matches(a, action)
}

allows_action(s, action) if {
	iam.allows(s)
	count(s.not_actions) > 0
	not _excluded(s.not_actions, action)
}

_excluded(patterns, action) if {
	some p in patterns
	action_matches(p, action)
}

# --- conditions ---------------------------------------------------------------------------

# operator(c) splits a condition operator: {"base": lowercase operator without set prefix and
# IfExists, "set": "foranyvalue"|"forallvalues"|"", "if_exists": bool}.
operator(c) := {"base": base, "set": set, "if_exists": if_exists} if {
	t := lower(_string(c.test))
	parts := split(t, ":")
	set := _set_prefix(parts)
	op := parts[count(parts) - 1]
	if_exists := endswith(op, "ifexists")
	base := _strip_if_exists(op, if_exists)
}

_string(x) := x if is_string(x)

_string(x) := "" if not is_string(x)

_set_prefix(parts) := parts[0] if {
	count(parts) == 2
	parts[0] in {"foranyvalue", "forallvalues"}
} else := ""

_strip_if_exists(op, true) := substring(op, 0, count(op) - 8)

_strip_if_exists(op, false) := op

# Operators that restrict a key to the listed values (negated ones, Null and Bool do not).
positive_operators := {
	"stringequals", "stringequalsignorecase", "stringlike",
	"arnequals", "arnlike", "ipaddress", "numericequals",
}

# Condition keys that identify who calls (or from which network), by kind of value.
who_keys := {
	"aws:principalorgid": "org",
	"aws:sourceorgid": "org",
	"aws:principalorgpaths": "orgpath",
	"aws:sourceorgpaths": "orgpath",
	"aws:principalaccount": "account",
	"aws:sourceaccount": "account",
	"kms:calleraccount": "account",
	"aws:principalarn": "arn",
	"aws:sourcearn": "arn",
	"aws:sourcevpce": "id",
	"aws:sourcevpc": "id",
	"aws:userid": "id",
	"aws:sourceip": "cidr",
}

# narrows_who(c) holds when condition row c limits who can use the grant: a key of who_keys, a
# positive operator that a request without the key fails (no IfExists, no ForAllValues), and
# only concrete values.
narrows_who(c) if {
	key := lower(_string(c.variable))
	kind := who_keys[key]
	op := operator(c)
	positive_operators[op.base]
	not op.if_exists
	op.set != "forallvalues"
	count(c.values) > 0
	every v in c.values {
		concrete_value(kind, v)
	}
}

# concrete_value(kind, v) holds when v names a specific caller (not every caller).
concrete_value(_, v) if res.is_reference(v)

concrete_value(kind, v) if {
	kind in {"org", "account", "id"}
	not res.is_reference(v)
	v != ""
	not _has_wildcard(v)
}

concrete_value("orgpath", v) if {
	not res.is_reference(v)
	first := split(v, "/")[0]
	startswith(first, "o-")
	not _has_wildcard(first)
}

concrete_value("arn", v) if {
	not res.is_reference(v)
	a := arn_account(v)
	_is_account_id(a)
}

concrete_value("arn", v) if {
	not res.is_reference(v)
	arn_account(v) == ""
	not _has_wildcard(v)
}

concrete_value("cidr", v) if {
	not res.is_reference(v)
	_narrow_cidr(v)
}

_has_wildcard(v) if contains(v, "*")

_has_wildcard(v) if contains(v, "?")

# A CIDR narrows when its prefix is at least /8 (IPv4) or /16 (IPv6); a bare address narrows.
_narrow_cidr(v) if {
	not contains(v, "/")
	v != ""
}

_narrow_cidr(v) if {
	parts := split(v, "/")
	count(parts) == 2
	n := to_number(parts[1])
	_min_prefix(parts[0]) <= n
}

_min_prefix(addr) := 16 if contains(addr, ":")

_min_prefix(addr) := 8 if not contains(addr, ":")

# narrowed(s) holds when some condition of s narrows who (conditions are ANDed: one suffices).
narrowed(s) if {
	some c in s.conditions
	narrows_who(c)
}

# condition_accounts(s) is the concrete accounts that account-key conditions of s restrict callers to.
condition_accounts(s) := {v |
	some c in s.conditions
	narrows_who(c)
	who_keys[lower(_string(c.variable))] == "account"
	some v in c.values
	_is_account_id(v)
}

# key(c) is the lowercase condition key of condition row c ("" when malformed).
key(c) := lower(c.variable) if is_string(c.variable)

else := ""

# condition_values(s, key) is the values of every positive, non-IfExists condition of s on key
# (lowercase), with the operator: [{"op", "values"}].
condition_values(s, key) := [{"op": op, "values": c.values} |
	some c in s.conditions
	lower(_string(c.variable)) == key
	op := operator(c)
]

# --- exposure -------------------------------------------------------------------------------

# world_open(s) holds for an Allow that anyone can use: a world principal (or NotPrincipal)
# without a condition that narrows who, or narrowed only to accounts outside the organization.
world_open(s) if {
	iam.allows(s)
	names_world(s)
	not narrowed(s)
}

# external_accounts(s) is the accounts outside the organization that Allow s grants to: named
# as principals, or named by an account condition on a world principal.
external_accounts(s) := external_principal_accounts(s) | {a |
	names_world(s)
	some a in condition_accounts(s)
	is_external_account(a)
} if iam.allows(s)

external_accounts(s) := set() if not iam.allows(s)

# shares_outside(s) holds when Allow s is open to the world or to an account outside the
# organization.
shares_outside(s) if world_open(s)

shares_outside(s) if count(external_accounts(s)) > 0

# --- the capabilities, for the README table --------------------------------------------------

# forms is every statement form, principal form and condition key the library understands, by
# kind; each is proven by the cases that list it under "forms" (policies/scripts/docs.ts).
forms := {
	"statement": {
		"Effect Allow / Deny": "only Allow statements grant",
		"Action string or list": "string-or-list, case-insensitive, * and ?",
		"NotAction with Allow": "grants every action not listed: admin when on every resource",
		"Resource string or list": "* and arn:* in every wildcard spelling match every resource",
		"NotResource with Allow": "applies to every resource not listed",
		"Principal string or object": "\"*\" or {type: id or [ids]}",
		"NotPrincipal with Allow": "grants everyone except the listed principals: world",
		"aws_iam_policy_document blocks": "statement, principals, not_principals, condition blocks",
		"admin action spellings": "*, *:*, **, *?, ?*:* match every action",
		"service admin spellings": "iam:*, IAM:**, kms:*? match every action of one service",
		"AWS managed admin policy ARN": "AdministratorAccess, PowerUserAccess, IAMFullAccess in any partition, also arn:${data.aws_partition...}",
		"data aws_iam_policy lookup": "an administrator policy looked up by name or ARN",
	},
	"principal": {
		"*": "anyone",
		"{\"AWS\": \"*\"}": "anyone",
		"account id": "the account (own, member of the organization, or outside)",
		"account root ARN": "the account, any partition",
		"role or user ARN": "the ARN's account",
		"Service": "an AWS service (confused-deputy keys apply)",
		"Federated": "an identity provider (OIDC, SAML)",
		"CanonicalUser": "an S3 canonical user, account not decidable",
	},
	"condition": {
		"aws:PrincipalOrgID": "narrows who, to an organization",
		"aws:PrincipalAccount": "narrows who, to accounts",
		"aws:PrincipalArn": "narrows who when the ARN's account is concrete",
		"aws:SourceVpce": "narrows who, to a VPC endpoint",
		"aws:SourceAccount": "narrows who (confused deputy)",
		"aws:SourceArn": "narrows who (confused deputy)",
		"kms:CallerAccount": "narrows who, to accounts",
		"aws:SourceIp": "narrows who unless 0.0.0.0/0 or wider than /8",
		"aws:SecureTransport": "transport only: never narrows who",
		"wildcard values": "* or ? in an account, org id or ARN account: narrows nothing",
		"...IfExists": "matches a request without the key: narrows nothing",
		"negated operators": "StringNotEquals, ArnNotLike, NotIpAddress: narrow nothing",
		"ForAnyValue / ForAllValues": "ForAnyValue narrows like the plain operator; ForAllValues matches a missing key",
	},
}

# --- administrator policies ------------------------------------------------------------------

# AWS managed policies that grant administrator or identity-administrator power.
admin_managed_policies := {"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"}

# admin_managed_arn(v) holds when v is the ARN of an AWS managed administrator policy in any
# partition, also when the partition or account is written as an expression
# ("arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess").
admin_managed_arn(v) if {
	is_string(v)
	parts := split(v, ":policy/")
	count(parts) == 2
	startswith(parts[0], "arn:")
	endswith(parts[0], ":iam::aws")
	admin_managed_policies[parts[1]]
}

# admin_policy_lookups is the addresses of the data aws_iam_policy lookups of an administrator
# policy (by name or by ARN).
admin_policy_lookups contains res.address(d) if {
	some d in res.data_sources("aws_iam_policy")
	name := res.raw(d, ["name"])
	is_string(name)
	admin_managed_policies[name]
}

admin_policy_lookups contains res.address(d) if {
	some d in res.data_sources("aws_iam_policy")
	admin_managed_arn(res.raw(d, ["arn"]))
}

# data_token_addresses(v) is the data source addresses named in the ${data.<type>.<name>.<attr>}
# tokens of string v.
data_token_addresses(v) := {concat(".", ["data", m[1], m[2]]) |
	some m in regex.find_all_string_submatch_n(`\$\{data\.([^.{}]+)\.([^.{}]+)\.`, v, -1)
} if is_string(v)

data_token_addresses(v) := set() if not is_string(v)

# is_admin_policy_ref(v) holds when the policy ARN value v names an administrator policy: an AWS
# managed administrator ARN in any partition spelling, or a data aws_iam_policy lookup of one.
is_admin_policy_ref(v) if admin_managed_arn(v)

is_admin_policy_ref(v) if {
	some addr in data_token_addresses(v)
	admin_policy_lookups[addr]
}
