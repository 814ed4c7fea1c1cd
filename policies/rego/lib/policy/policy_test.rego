package baseplate.lib.policy_test

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.policy

_env := {
	"environment": {"name": "prod", "tier": "prod", "account": "123456789012"},
	"organization": {"id": "o-abc123def4", "accounts": ["123456789012", "210987654321"]},
}

_stmt(s) := iam.statements({"Statement": [s]})[0]

_allow(extra) := _stmt(object.union({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, extra))

test_action_all_spellings if {
	every a in ["*", "*:*", "**", "*?", "?*:*", "*:**"] {
		policy.action_all(a)
	}
	every a in ["s3:*", "iam:**", "s3:Get*", "*:Get*", "*:*:*", "", 7] {
		not policy.action_all(a)
	}
}

test_service_admin_spellings if {
	policy.action_service_all("iam:*") == "iam"
	policy.action_service_all("IAM:**") == "iam"
	policy.action_service_all("kms:*?") == "kms"
	not policy.action_service_all("*")
	not policy.action_service_all("*:*")
	not policy.action_service_all("s3:Get*")
	policy.service_admin(_allow({"Action": ["s3:GetObject", "Kms:*"]})) == {"kms"}
}

test_admin_every_spelling if {
	policy.is_admin(_allow({"Action": "*"}))
	policy.is_admin(_allow({"Action": "*:*", "Resource": "arn:*"}))
	policy.is_admin(_allow({"Action": ["*?"], "Resource": "arn:*:*"}))
	policy.is_admin(_allow({"Action": "s3:*", "NotAction": "iam:*", "Resource": "arn:aws:*:*:*:*"}))
	policy.is_admin(_stmt({"Effect": "Allow", "NotAction": ["iam:*"], "NotResource": "arn:aws:s3:::x"}))
	not policy.is_admin(_allow({"Action": "*", "Resource": "arn:aws:s3:::bucket/*"}))
	not policy.is_admin(_stmt({"Effect": "Deny", "Action": "*", "Resource": "*"}))
	not policy.is_admin(_allow({"Action": "iam:*"}))
}

test_resource_all if {
	every r in ["*", "*?", "arn:*", "arn:*:*", "arn:aws:*:*:*:*", "arn:aws-cn:*:*:*:*", "arn:*:*:*:*:*"] {
		policy.resource_all(r)
	}
	every r in ["arn:aws:s3:::*", "arn:aws:s3:::b/*", "arn:aws:*:*:123456789012:*", "arn", 3] {
		not policy.resource_all(r)
	}
}

test_allows_action if {
	policy.allows_action(_allow({"Action": "KMS:Put*"}), "kms:PutKeyPolicy")
	policy.allows_action(_stmt({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}), "kms:ScheduleKeyDeletion")
	not policy.allows_action(_stmt({"Effect": "Allow", "NotAction": "kms:*", "Resource": "*"}), "kms:ScheduleKeyDeletion")
	not policy.allows_action(_allow({}), "kms:Decrypt")
}

test_principal_forms if {
	policy.principal({"type": "*", "id": "*"}).kind == "world"
	policy.principal({"type": "AWS", "id": "*"}).kind == "world"
	policy.principal({"type": "AWS", "id": "arn:aws:iam::*:root"}).kind == "world"
	policy.principal({"type": "AWS", "id": "111122223333"}) == {"kind": "account", "account": "111122223333"}
	policy.principal({"type": "AWS", "id": "arn:aws-us-gov:iam::111122223333:root"}).account == "111122223333"
	policy.principal({"type": "AWS", "id": "arn:aws:iam::111122223333:role/x"}).account == "111122223333"
	policy.principal({"type": "AWS", "id": "${aws_iam_role.r.arn}"}).kind == "unknown"
	policy.principal({"type": "Service", "id": "lambda.amazonaws.com"}).kind == "service"
	policy.principal({"type": "Federated", "id": "token.actions.githubusercontent.com"}).kind == "federated"
	policy.principal({"type": "CanonicalUser", "id": "79a59df900b949e55d96a1e698fbace"}).kind == "canonical"
}

test_not_principal_is_world if {
	s := _stmt({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:role/x"}, "Action": "s3:*", "Resource": "*"})
	policy.world_open(s)
}

test_block_principals if {
	d := {"mode": "data", "type": "aws_iam_policy_document", "values": {"statement": [{
		"actions": ["s3:*"],
		"resources": ["*"],
		"not_principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::123456789012:root"]}],
	}]}}
	s := iam.document_statements(d)[0]
	policy.world_open(s)
	d2 := {"mode": "data", "type": "aws_iam_policy_document", "values": {"statement": [{
		"actions": ["s3:*"],
		"resources": ["*"],
		"principals": [{"type": "AWS", "identifiers": ["444455556666"]}],
	}]}}
	policy.external_accounts(iam.document_statements(d2)[0]) == {"444455556666"} with input as _env
}

_world(cond) := _allow({"Principal": "*", "Condition": cond})

test_conditions_that_narrow if {
	every cond in [
		{"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},
		{"StringEquals": {"aws:SourceVpce": "vpce-0123"}},
		{"StringEquals": {"aws:SourceVpce": "${aws_vpc_endpoint.s3.id}"}},
		{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/app-*"}},
		{"StringEquals": {"aws:PrincipalAccount": ["123456789012"]}},
		{"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},
		{"StringEquals": {"kms:CallerAccount": "123456789012"}},
		{"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::logs-bucket"}},
		{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
		{"StringLike": {"aws:PrincipalOrgPaths": "o-abc123def4/r-ab12/*"}},
		{"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},
	] {
		not policy.world_open(_world(cond))
	}
}

test_conditions_that_do_not_narrow if {
	every cond in [
		{"Bool": {"aws:SecureTransport": "true"}},
		{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
		{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "::/0"]}},
		{"StringLike": {"kms:CallerAccount": "*"}},
		{"StringLike": {"aws:PrincipalOrgID": "o-*"}},
		{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}},
		{"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123def4"}},
		{"StringNotEquals": {"aws:PrincipalOrgID": "o-other"}},
		{"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},
		{"Null": {"aws:PrincipalOrgID": "false"}},
		{"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
		{"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
		{"StringEquals": {"aws:PrincipalOrgID": []}},
	] {
		policy.world_open(_world(cond))
	}
}

test_operator_parts if {
	policy.operator({"test": "ForAnyValue:StringLikeIfExists"}) == {"base": "stringlike", "set": "foranyvalue", "if_exists": true}
	policy.operator({"test": "ArnEquals"}) == {"base": "arnequals", "set": "", "if_exists": false}
	policy.operator({"test": 7}) == {"base": "", "set": "", "if_exists": false}
}

test_organization_boundary if {
	policy.account_relation("123456789012") == "own" with input as _env
	policy.account_relation("210987654321") == "org" with input as _env
	policy.account_relation("444455556666") == "external" with input as _env
	policy.account_relation("${var.a}") == "unknown" with input as _env
	policy.account_relation("444455556666") == "unknown" with input as {}
	policy.org_id == "o-abc123def4" with input as _env
}

test_external_accounts if {
	s := _allow({"Principal": {"AWS": ["arn:aws:iam::444455556666:root", "210987654321", "arn:aws:iam::123456789012:role/app"]}})
	policy.external_accounts(s) == {"444455556666"} with input as _env
	policy.shares_outside(s) with input as _env
	w := _world({"StringEquals": {"aws:PrincipalAccount": "444455556666"}})
	policy.external_accounts(w) == {"444455556666"} with input as _env
	not policy.world_open(w) with input as _env
	inside := _world({"StringEquals": {"aws:PrincipalAccount": "210987654321"}})
	not policy.shares_outside(inside) with input as _env
	policy.external_accounts(_stmt({"Effect": "Deny", "Principal": {"AWS": "444455556666"}, "Action": "*", "Resource": "*"})) == set() with input as _env
}

test_malformed_statements if {
	ss := iam.statements({"Statement": [
		{"Effect": "Allow", "Principal": 7, "Action": 3, "Condition": {"StringEquals": 5}},
		{"Effect": "Allow", "Principal": {"AWS": [1, null]}, "Action": "*", "Resource": "*"},
	]})
	not policy.world_open(ss[0])
	policy.is_admin(ss[1])
	policy.principals_of(ss[1]) == []
}
