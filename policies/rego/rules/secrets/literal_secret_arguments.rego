package baseplate.rules.secrets

import rego.v1

import data.baseplate.lib.resources as res

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
#   remediation: >-
#     Remove the literal and rotate the secret; use a managed password (manage_master_user_password), an
#     ephemeral/random value, or a reference to a secret that is created outside the code.
#   message: "{address} has a literal secret in {attribute}; it is now in the repository and must be rotated."
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_docdb_cluster, aws_redshift_cluster,
#     aws_elasticache_replication_group, aws_secretsmanager_secret_version, aws_ssm_parameter]
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

# An SSM parameter value is a secret argument only for SecureString parameters; a secret in
# another type is SEC-002's concern.
_secret_argument(r, _) if r.type != "aws_ssm_parameter"

_secret_argument(r, "value") if {
	r.type == "aws_ssm_parameter"
	res.raw(r, ["type"]) == "SecureString"
}
