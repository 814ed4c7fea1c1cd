package baseplate.lib.lib_test

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res
import data.baseplate.lib.tags

_bucket := {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "values": {"bucket": "x"}}

_pab := {
	"address": "aws_s3_bucket_public_access_block.b",
	"type": "aws_s3_bucket_public_access_block",
	"values": {},
	"references": ["aws_s3_bucket.b", "data.aws_iam_policy_document.p", "module.m.aws_kms_key.k", 7],
}

_input := {"resources": {
	"aws_s3_bucket": [_bucket],
	"aws_s3_bucket_public_access_block": [_pab],
}}

test_referrers if {
	rs := res.referrers("aws_s3_bucket_public_access_block", _bucket) with input as _input
	[r.address | some r in rs] == ["aws_s3_bucket_public_access_block.b"]
	res.referenced_by("aws_s3_bucket_public_access_block", _bucket) with input as _input
	not res.referenced_by("aws_s3_bucket_policy", _bucket) with input as _input
}

test_references_of_type if {
	res.references_of_type(_pab, "aws_s3_bucket") == ["aws_s3_bucket.b"]
	res.references_of_type(_pab, "aws_kms_key") == ["module.m.aws_kms_key.k"]
	res.references_of_type(_pab, "data.aws_iam_policy_document") == ["data.aws_iam_policy_document.p"]
	res.references_of_type({"references": "junk"}, "aws_s3_bucket") == []
}

test_ref_matches_instances if {
	res.ref_matches("aws_s3_bucket.b", `aws_s3_bucket.b["a"]`)
	not res.ref_matches("aws_s3_bucket.b", "aws_s3_bucket.bb")
}

test_scalar_strings if {
	res.scalar_strings(false) == ["false"]
	res.scalar_strings(["a", 1, true]) == ["a", "1", "true"]
	res.scalar_strings(null) == []
	res.scalar_strings({"a": 1}) == []
}

test_get_and_known if {
	r := {"values": {"a": [{"b": 1}], "ref": "${x.y}", "n": null}, "unknown": {"u": true, "a": [{"c": true}]}}
	res.get(r.values, ["a", 0, "b"]) == 1
	not res.get(r.values, ["a", 1, "b"])
	not res.get("not an object", ["a"])
	res.known(r, ["a", 0, "b"]) == 1
	not res.is_known(r, ["ref"])
	res.is_undecided(r, ["ref"])
	res.is_unset(r, ["n"])
	res.is_unset(r, ["missing"])
	res.is_unknown(r, ["u", "deep"])
	res.is_unknown(r, ["a", 0, "c"])
	not res.is_unset(r, ["u"])
}

test_as_array if {
	res.as_array([1]) == [1]
	res.as_array({"a": 1}) == [{"a": 1}]
	res.as_array("s") == []
	res.as_array(null) == []
}

test_environment_helpers if {
	res.is_prod with input as {"environment": {"name": "x", "tier": "prod"}}
	res.is_prod with input as {"environment": {"name": "production"}}
	not res.is_prod with input as {"environment": {"name": "prod", "tier": "dev"}}
	not res.is_prod with input as {"environment": "prod"}
	res.is_plan with input as {"source": "plan"}
}

test_action_matches if {
	iam.action_matches("s3:Get*", "S3:GetObject")
	not iam.action_matches("s3:Get*", "s3:PutObject")
}

test_provider_fallbacks if {
	tags.provider({"provider": "aws.other"}) == {} with input as {"providers": {"aws": {"region": "x"}}}
	tags.provider({}) == {"region": "x"} with input as {"providers": {"aws": {"region": "x"}}}
	tags.provider({}) == {} with input as {"providers": []}
}

test_result_entrypoint if {
	r := data.baseplate.result with input as {"resources": {"aws_iam_user": [{"address": "aws_iam_user.u", "values": {}}]}}
	r.input_parsed == true
	{"rule": "IAM-005", "address": "aws_iam_user.u", "attribute": null, "observed": null} in r.findings
}

_indexed_bucket := object.union(_bucket, {"referenced_by": ["aws_s3_bucket_public_access_block.b", "aws_s3_bucket_policy.stale", "missing.x", 7]})

_indexed_input := {
	"index": {
		"aws_s3_bucket.b": ["aws_s3_bucket", 0],
		"aws_s3_bucket_public_access_block.b": ["aws_s3_bucket_public_access_block", 0],
		# a stale entry: the resource at that position does not reference the bucket
		"aws_s3_bucket_policy.stale": ["aws_s3_bucket_policy", 0],
		"missing.x": "junk",
	},
	"resources": {
		"aws_s3_bucket": [_indexed_bucket],
		"aws_s3_bucket_public_access_block": [_pab],
		"aws_s3_bucket_policy": [{"address": "aws_s3_bucket_policy.stale", "type": "aws_s3_bucket_policy", "references": []}],
	},
}

test_referrers_through_the_index if {
	res.indexed with input as _indexed_input
	rs := res.referrers("aws_s3_bucket_public_access_block", _indexed_bucket) with input as _indexed_input
	[r.address | some r in rs] == ["aws_s3_bucket_public_access_block.b"]
	res.referrers("aws_s3_bucket_policy", _indexed_bucket) == [] with input as _indexed_input
	not res.indexed with input as _input
}

test_address_keys if {
	res.address_keys(`module.m["x"].aws_subnet.s[0]`) == [`module.m["x"].aws_subnet.s[0]`, "module.m", `module.m["x"].aws_subnet.s`]
	res.address_keys("aws_vpc.v") == ["aws_vpc.v"]
	res.token_addresses("${aws_kms_key.k.arn}/${aws_s3_bucket.b.id}") == {"aws_kms_key.k", "aws_s3_bucket.b"}
	res.token_addresses(7) == set()
}
