package baseplate.rules.secrets

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: No AWS access keys in user data, environment or parameters
# description: |
#   An AWS access key id (AKIA... or ASIA...) must not appear in aws_instance user_data or
#   user_data_base64, aws_launch_template user_data (base64), aws_lambda_function environment
#   variables or aws_ssm_parameter values. Instances and functions get credentials from their
#   IAM role.
# custom:
#   id: SEC-004
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.3, CIS 1.14, SOC 2 CC6.1]
#   remediation: Remove the key, deactivate and delete it in IAM now, and grant the workload an IAM role (instance profile or execution role) instead.
#   message: "{address} contains an AWS access key id in {attribute}; deactivate the key and use an IAM role."
#   resource_types: [aws_instance, aws_launch_template, aws_lambda_function, aws_ssm_parameter]
#   sources: both
deny contains finding if {
	some hit in _access_key_hits
	finding := {"rule": "SEC-004", "address": hit.address, "attribute": hit.attribute, "observed": null}
}

# An AWS access key id (long-term AKIA or temporary ASIA).
access_key_pattern := `(AKIA|ASIA)[0-9A-Z]{16}`

_has_access_key(s) if {
	is_string(s)
	regex.match(access_key_pattern, s)
}

_decoded(s) := base64.decode(s) if {
	is_string(s)
	base64.is_valid(s)
}

_access_key_hits contains {"address": res.address(r), "attribute": "user_data"} if {
	some r in res.live("aws_instance")
	_has_access_key(res.raw(r, ["user_data"]))
}

_access_key_hits contains {"address": res.address(r), "attribute": "user_data_base64"} if {
	some r in res.live("aws_instance")
	_has_access_key(_decoded(res.raw(r, ["user_data_base64"])))
}

_access_key_hits contains {"address": res.address(r), "attribute": "user_data"} if {
	some r in res.live("aws_launch_template")
	_has_access_key(res.raw(r, ["user_data"]))
}

_access_key_hits contains {"address": res.address(r), "attribute": "user_data"} if {
	some r in res.live("aws_launch_template")
	_has_access_key(_decoded(res.raw(r, ["user_data"])))
}

_access_key_hits contains {"address": res.address(r), "attribute": concat(".", ["environment.variables", name])} if {
	some r in res.live("aws_lambda_function")
	some env in res.blocks(r, "environment")
	vars := env.variables
	is_object(vars)
	some name, v in vars
	_has_access_key(v)
}

_access_key_hits contains {"address": res.address(r), "attribute": "value"} if {
	some r in res.live("aws_ssm_parameter")
	_has_access_key(res.raw(r, ["value"]))
}
