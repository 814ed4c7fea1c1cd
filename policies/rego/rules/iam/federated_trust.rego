package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# title: Federated trust is pinned to this repository and a ref or environment
# description: |
#   A trust statement that lets an identity provider's users assume the role names who exactly:
#   GitHub Actions OIDC (token.actions.githubusercontent.com) needs aud = sts.amazonaws.com and
#   a sub pinned to a repository of governance/organization.json (input.organization
#   repositories; any concrete repository when none is configured) and to an environment, a
#   branch or tag ref, or pull_request, with no wildcard; any other OIDC provider needs a sub or
#   aud condition; SAML needs SAML:aud. Only positive operators without IfExists or
#   ForAllValues count, as for resource policies. A provider given by reference is recognised
#   by the condition keys it uses.
# custom:
#   id: IAM-015
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.1, SOC 2 CC6.1, SOC 2 CC6.3]
#   remediation: >-
#     Add StringEquals conditions: token.actions.githubusercontent.com:aud = sts.amazonaws.com and
#     token.actions.githubusercontent.com:sub = repo:<owner>/<repo>:environment:<env> (the CiRole construct
#     writes them); SAML trusts need SAML:aud.
#   message: "{address} lets identities of {observed} assume it without pinning who ({attribute})."
#   resource_types: [aws_iam_role, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_role")
	some s in iam.attribute_statements(r, "assume_role_policy")
	some provider in _unpinned(s)
	finding := {"rule": "IAM-015", "address": res.address(r), "attribute": "assume_role_policy", "observed": provider}
}

_github := "token.actions.githubusercontent.com"

# _unpinned(s) is the providers of Allow statement s whose users it trusts without pinning them.
_unpinned(s) := {p |
	some p in ["github", "oidc", "saml"]
	_provider_unpinned(s, p)
} if {
	iam.allows(s)
	count(policy.federated_of(s)) > 0
}

_unpinned(s) := set() if not iam.allows(s)

_unpinned(s) := set() if count(policy.federated_of(s)) == 0

_is_github(s) if {
	some f in policy.federated_of(s)
	contains(lower(f), _github)
}

_is_github(s) if {
	some c in s.conditions
	startswith(policy.key(c), concat("", [_github, ":"]))
}

_is_saml(s) if {
	some f in policy.federated_of(s)
	contains(lower(f), ":saml-provider/")
}

_is_saml(s) if policy.allows_action(s, "sts:AssumeRoleWithSAML")

_provider_unpinned(s, "github") if {
	_is_github(s)
	not _github_pinned(s)
}

_provider_unpinned(s, "oidc") if {
	not _is_github(s)
	not _is_saml(s)
	policy.allows_action(s, "sts:AssumeRoleWithWebIdentity")
	not _oidc_pinned(s)
}

_provider_unpinned(s, "saml") if {
	_is_saml(s)
	not _pinned_key(s, "saml:aud")
}

_github_pinned(s) if {
	_pinned_key(s, concat("", [_github, ":aud"]))
	_pinned_key(s, concat("", [_github, ":sub"]))
	every c in _key_conditions(s, concat("", [_github, ":aud"])) {
		every v in c.values {
			v == "sts.amazonaws.com"
		}
	}
	every c in _key_conditions(s, concat("", [_github, ":sub"])) {
		every v in c.values {
			_pinned_subject(v)
		}
	}
}

_oidc_pinned(s) if {
	some c in s.conditions
	key := policy.key(c)
	some suffix in [":sub", ":aud"]
	endswith(key, suffix)
	_narrowing(c)
}

# _pinned_key(s, key) holds when some condition on key narrows (positive operator, no
# IfExists/ForAllValues, only values without a match-everything wildcard).
_pinned_key(s, key) if {
	some c in _key_conditions(s, key)
	_narrowing(c)
}

_key_conditions(s, key) := [c | some c in s.conditions; policy.key(c) == key]

_narrowing(c) if {
	op := policy.operator(c)
	policy.positive_operators[op.base]
	not op.if_exists
	op.set != "forallvalues"
	count(c.values) > 0
	every v in c.values {
		not _matches_everything(v)
	}
}

_matches_everything(v) if regex.match(`^[*?]*$`, v)

# _pinned_subject(v) holds for repo:<owner>/<repo>:<environment:x | ref:refs/heads/x |
# ref:refs/tags/x | pull_request> without wildcards, of a configured repository.
_pinned_subject(v) if {
	res.is_reference(v)
}

_pinned_subject(v) if {
	not res.is_reference(v)
	m := regex.find_all_string_submatch_n(`^repo:([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+):(environment:[A-Za-z0-9_.-]+|ref:refs/(heads|tags)/[A-Za-z0-9_./-]+|pull_request)$`, v, 1)
	count(m) == 1
	_allowed_repository(m[0][1])
}

_allowed_repository(_) if count(_repositories) == 0

_allowed_repository(repo) if _repositories[lower(repo)]

_repositories := {lower(r) | some r in res.string_list(object.get(policy.organization, "repositories", []))}
