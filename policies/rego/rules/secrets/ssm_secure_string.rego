package baseplate.rules.secrets

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Secret-looking SSM parameters are SecureString
# description: |
#   An aws_ssm_parameter whose name looks like a secret (secret, password, credential, or
#   ending in token / key) must have type SecureString.
# custom:
#   id: SEC-002
#   severity: high
#   enforcement: mandatory
#   controls: [SOC 2 CC6.1]
#   remediation: Set type = "SecureString" (with key_id for a customer managed key), or rename the parameter if it holds no secret.
#   message: "{address} looks like a secret but is stored as {observed}; use SecureString."
#   resource_types: [aws_ssm_parameter]
#   sources: both
deny contains finding if {
	some r in res.live("aws_ssm_parameter")
	name := res.known(r, ["name"])
	_secret_name(name)
	not res.is_undecided(r, ["type"])
	type := res.raw(r, ["type"])
	type != "SecureString"
	finding := {"rule": "SEC-002", "address": res.address(r), "attribute": "type", "observed": type}
}
