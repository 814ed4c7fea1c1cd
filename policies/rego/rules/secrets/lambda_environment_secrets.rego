package baseplate.rules.secrets

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: No literal secrets in Lambda environment variables
# description: |
#   An aws_lambda_function environment variable whose name looks like a secret (secret,
#   password, credential, or ending in token / key) must not have a literal value. Names ending
#   in _ARN, _NAME, _ID, _PATH, _PARAM(ETER), _REF, _VERSION or _TTL, and values that are ARNs
#   or {{resolve:...}} references, point at a secret and pass.
# custom:
#   id: SEC-003
#   severity: high
#   enforcement: mandatory
#   controls: [SOC 2 CC6.1, SOC 2 CC6.7]
#   remediation: Store the value in Secrets Manager or SSM SecureString, pass its ARN (e.g. DB_PASSWORD_SECRET_ARN) and read it at runtime; rotate the exposed value.
#   message: "{address} sets secret-looking environment variable {observed} to a literal."
#   resource_types: [aws_lambda_function]
#   sources: synth
deny contains finding if {
	not res.is_plan
	some r in res.live("aws_lambda_function")
	some env in res.blocks(r, "environment")
	vars := env.variables
	is_object(vars)
	some name, v in vars
	_secret_name(name)
	_literal(v)
	not _pointer_value(v)
	finding := {"rule": "SEC-003", "address": res.address(r), "attribute": concat(".", ["environment.variables", name]), "observed": name}
}

_pointer_value(v) if startswith(v, "arn:")

_pointer_value(v) if startswith(v, "{{resolve:")
