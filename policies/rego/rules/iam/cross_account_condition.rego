package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

# METADATA
# title: Cross-account trust is narrowed by a condition
# description: |
#   A trust policy that lets another AWS account (an account id or ARN other than the stack's
#   own account) assume the role needs a condition such as sts:ExternalId or aws:PrincipalOrgID,
#   so the role cannot be used as a confused deputy. Judged only when the stack's account is
#   known.
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
	is_string(_own_account)
	some r in res.live("aws_iam_role")
	some s in iam.attribute_statements(r, "assume_role_policy")
	iam.allows(s)
	not iam.is_conditioned(s)
	some p in s.principals
	other := _principal_account(p)
	other != _own_account
	finding := {"rule": "IAM-010", "address": res.address(r), "attribute": "assume_role_policy", "observed": p}
}

_own_account := a if {
	a := res.environment.account
	is_string(a)
	regex.match(`^[0-9]{12}$`, a)
}

# _principal_account(p) is the 12-digit account of an AWS principal given as an account id or
# an IAM ARN (arn:aws:iam::<account>:root / role / user).
_principal_account(p) := p if regex.match(`^[0-9]{12}$`, p)

_principal_account(p) := account if {
	startswith(p, "arn:")
	parts := split(p, ":")
	count(parts) >= 6
	parts[2] == "iam"
	account := parts[4]
	regex.match(`^[0-9]{12}$`, account)
}
