# METADATA
# title: Secret-handling guardrails
# description: |
#   No plaintext secrets in resource arguments. A literal is a value written into the
#   configuration: a number or non-empty string that is not a ${...} reference. Literals can
#   only be told apart from resolved references in synthesized configuration, so the literal
#   rules (SEC-001, SEC-003) read synth input only; a Terraform plan shows every value resolved.
#   Findings never echo a secret value.
package baseplate.rules.secrets

import rego.v1

import data.baseplate.lib.resources as res

# Arguments that hold a secret, by resource type.
secret_arguments := {
	"aws_db_instance": ["password"],
	"aws_rds_cluster": ["master_password"],
	"aws_docdb_cluster": ["master_password"],
	"aws_redshift_cluster": ["master_password"],
	"aws_elasticache_replication_group": ["auth_token"],
	"aws_secretsmanager_secret_version": ["secret_string", "secret_binary"],
	"aws_ssm_parameter": ["value"],
}

# A name that looks like it holds a secret: one of these words anywhere ...
secret_name_anywhere := `(?i)(secret|passw(or)?d|passphrase|credential)`

# ... or one of these at the end, as its own segment.
secret_name_suffix := `(?i)(^|[_.\-/])(token|key|api_?key|pwd|pass)$`

# ... or a camelCase name ending in one of them (githubToken, stripeKey).
secret_name_camel := `[a-z0-9](Token|Key|ApiKey|Pwd|Pass)$`

# Names that point at a secret rather than hold it.
secret_pointer_suffix := `(?i)[_.\-/](arn|name|id|path|param|parameter|ref|version|ttl)$`

# An AWS access key id (long-term AKIA or temporary ASIA).
access_key_pattern := `(AKIA|ASIA)[0-9A-Z]{16}`

# METADATA
# title: No literal secrets in secret arguments
# description: |
#   Secret arguments must not be literals in the configuration: aws_db_instance.password,
#   master_password of aws_rds_cluster, aws_docdb_cluster and aws_redshift_cluster,
#   aws_elasticache_replication_group.auth_token, aws_secretsmanager_secret_version
#   secret_string / secret_binary, and aws_ssm_parameter.value of a SecureString parameter.
# custom:
#   id: SEC-001
#   severity: critical
#   enforcement: mandatory
#   controls: [SOC 2 CC6.1, SOC 2 CC6.7]
#   remediation: Remove the literal and rotate the secret; use a managed password (manage_master_user_password), an ephemeral/random value, or a reference to a secret that is created outside the code.
#   message: "{address} has a literal secret in {attribute}; it is now in the repository and must be rotated."
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_docdb_cluster, aws_redshift_cluster, aws_elasticache_replication_group, aws_secretsmanager_secret_version, aws_ssm_parameter]
#   sources: synth
deny contains finding if {
	not res.is_plan
	some t, attrs in secret_arguments
	some r in res.live(t)
	some attr in attrs
	_literal(res.raw(r, [attr]))
	_secret_argument(r, attr)
	finding := {"rule": "SEC-001", "address": res.address(r), "attribute": attr, "observed": null}
}

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

# --- helpers -----------------------------------------------------------------------------

_literal(v) if is_number(v)

_literal(v) if {
	is_string(v)
	trim_space(v) != ""
	not contains(v, "${")
}

# An SSM parameter value is a secret argument only for SecureString parameters; a secret in
# another type is SEC-002's concern.
_secret_argument(r, _) if r.type != "aws_ssm_parameter"

_secret_argument(r, "value") if {
	r.type == "aws_ssm_parameter"
	res.raw(r, ["type"]) == "SecureString"
}

_secret_name(name) if {
	is_string(name)
	not regex.match(secret_pointer_suffix, name)
	regex.match(secret_name_anywhere, name)
}

_secret_name(name) if {
	is_string(name)
	not regex.match(secret_pointer_suffix, name)
	regex.match(secret_name_suffix, name)
}

_secret_name(name) if {
	is_string(name)
	not regex.match(secret_pointer_suffix, name)
	regex.match(secret_name_camel, name)
}

_pointer_value(v) if startswith(v, "arn:")

_pointer_value(v) if startswith(v, "{{resolve:")

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
