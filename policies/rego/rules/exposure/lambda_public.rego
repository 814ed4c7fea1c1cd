package baseplate.rules.exposure

import rego.v1

import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: Lambda functions cannot be invoked by everyone
# description: |
#   An aws_lambda_permission whose principal is "*" (or a wildcard AWS principal) needs
#   source_account, source_arn or principal_org_id, and never function_url_auth_type NONE; an
#   aws_lambda_function_url has authorization_type AWS_IAM. A value unknown until apply is not
#   judged.
# custom:
#   id: EXP-003
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP Lambda.1, SOC 2 CC6.1]
#   remediation: >-
#     Name the calling service or account as principal and set source_arn or source_account; give function
#     URLs authorization_type = "AWS_IAM".
#   message: "{address} lets anyone invoke the function ({attribute} = {observed})."
#   resource_types: [aws_lambda_permission, aws_lambda_function_url]
#   sources: both
deny contains finding if {
	some r in res.live("aws_lambda_permission")
	p := res.known(r, ["principal"])
	policy.principal({"type": "AWS", "id": p}).kind == "world"
	_unscoped(r)
	finding := {"rule": "EXP-003", "address": res.address(r), "attribute": "principal", "observed": p}
}

deny contains finding if {
	some r in res.live("aws_lambda_function_url")
	t := res.known(r, ["authorization_type"])
	is_string(t)
	upper(t) == "NONE"
	finding := {"rule": "EXP-003", "address": res.address(r), "attribute": "authorization_type", "observed": t}
}

_unscoped(r) if {
	t := res.known(r, ["function_url_auth_type"])
	is_string(t)
	upper(t) == "NONE"
}

_unscoped(r) if {
	every attr in ["source_account", "source_arn", "principal_org_id"] {
		res.is_unset(r, [attr])
	}
}
