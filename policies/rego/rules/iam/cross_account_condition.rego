package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# title: Cross-account trust is narrowed by a condition
# description: |
#   A trust policy that lets an account outside the organization (an account id or root, role
#   or user ARN in any partition; the organization's member accounts come from
#   governance/organization.json, without it only the stack's own account is inside) assume the
#   role needs a condition that narrows who: sts:ExternalId for a third party, or a key such as
#   aws:PrincipalOrgID or aws:PrincipalArn (policies/rego/lib/policy), with a positive operator,
#   without ...IfExists or ForAllValues, and a concrete value, so the role cannot be used as a
#   confused deputy. Judged only when the stack's account is known.
# custom:
#   id: IAM-010
#   severity: medium
#   enforcement: advisory
#   controls: [SOC 2 CC6.1, SOC 2 CC6.3]
#   remediation: Add a condition to the trust statement, e.g. StringEquals sts:ExternalId for a vendor or aws:PrincipalOrgID for accounts of the organisation.
#   message: "{address} trusts the external account principal {observed} without a condition."
#   resource_types: [aws_iam_role, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_role")
	some s in iam.attribute_statements(r, "assume_role_policy")
	iam.allows(s)
	not _trust_narrowed(s)
	some e in s.principal_entries
	p := policy.principal(e)
	p.kind == "account"
	policy.is_external_account(p.account)
	finding := {"rule": "IAM-010", "address": res.address(r), "attribute": "assume_role_policy", "observed": e.id}
}

_trust_narrowed(s) if policy.narrowed(s)

_trust_narrowed(s) if {
	some c in s.conditions
	policy.key(c) == "sts:externalid"
	op := policy.operator(c)
	op.base in {"stringequals", "stringlike"}
	not op.if_exists
	count(c.values) > 0
	every v in c.values {
		policy.concrete_value("id", v)
	}
}
