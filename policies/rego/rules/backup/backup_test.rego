package baseplate.rules.backup_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.backup

test_cases if testing.all_pass("backup")

test_vault_finding_reports_the_missing_key if {
	vault := {"address": "aws_backup_vault.v", "type": "aws_backup_vault", "values": {"name": "v"}}
	findings := backup.deny with input as {"environment": {"tier": "dev"}, "resources": {"aws_backup_vault": [vault]}}
	findings == {{"rule": "BAK-002", "address": "aws_backup_vault.v", "attribute": "kms_key_arn", "observed": null}}
}

test_wildcard_selection_with_tag_filter_does_not_cover_untagged_store if {
	table := {"address": "aws_dynamodb_table.t", "type": "aws_dynamodb_table", "values": {}, "provider": "aws"}
	sel := {"address": "aws_backup_selection.s", "type": "aws_backup_selection", "values": {
		"resources": ["*"],
		"condition": [{"string_like": [{"key": "aws:ResourceTag/Backup", "value": "d*"}]}],
	}}
	findings := backup.deny with input as {"environment": {"tier": "prod"}, "resources": {"aws_dynamodb_table": [table], "aws_backup_selection": [sel]}}
	findings == {{"rule": "BAK-001", "address": "aws_dynamodb_table.t", "attribute": null, "observed": null}}
}
