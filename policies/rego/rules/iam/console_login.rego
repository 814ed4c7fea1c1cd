package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: No console passwords for IAM users
# description: |
#   aws_iam_user_login_profile gives an IAM user a console password: a long-lived credential
#   outside IAM Identity Center, its initial password in state.
# custom:
#   id: IAM-014
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP IAM.2, CIS 1.10, CIS 1.15, SOC 2 CC6.2]
#   remediation: Remove the login profile; people sign in through IAM Identity Center.
#   message: "{address} gives an IAM user a console password."
#   resource_types: [aws_iam_user_login_profile]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_user_login_profile")
	finding := {"rule": "IAM-014", "address": res.address(r), "attribute": "user", "observed": res.raw(r, ["user"])}
}
