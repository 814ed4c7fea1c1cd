package baseplate.rules.secrets_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.secrets

test_cases if testing.all_pass("secrets")

test_findings_never_echo_secret_values if {
	fn := {"address": "aws_lambda_function.f", "type": "aws_lambda_function", "values": {"environment": [{"variables": {
		"DB_PASSWORD": "hunter2hunter2",
		"LEGACY": "AKIAIOSFODNN7EXAMPLE",
	}}]}}
	db := {"address": "aws_db_instance.db", "type": "aws_db_instance", "values": {"password": "hunter2hunter2"}}
	findings := secrets.deny with input as {"source": "synth", "resources": {"aws_lambda_function": [fn], "aws_db_instance": [db]}}
	findings == {
		{"rule": "SEC-003", "address": "aws_lambda_function.f", "attribute": "environment.variables.DB_PASSWORD", "observed": "DB_PASSWORD"},
		{"rule": "SEC-004", "address": "aws_lambda_function.f", "attribute": "environment.variables.LEGACY", "observed": null},
		{"rule": "SEC-001", "address": "aws_db_instance.db", "attribute": "password", "observed": null},
	}
}

test_secret_names if {
	every name in [
		"DB_PASSWORD", "db_passwd", "CLIENT_SECRET", "SECRET_KEY_BASE", "API_KEY", "apiKey", "AUTH_TOKEN", "PRIVATE_KEY",
		"GOOGLE_CREDENTIALS", "pass", "githubToken", "stripeKey", "GPG_PASSPHRASE",
	] {
		secrets._secret_name(name)
	}
	every name in ["DB_PASSWORD_SECRET_ARN", "TOKEN_TTL", "CACHE_KEY_PREFIX", "TABLE_NAME", "KMS_KEY_ID", "PASSWORD_PARAMETER", "monkey", "keyboard", "turkey", "TokenCount"] {
		not secrets._secret_name(name)
	}
}
