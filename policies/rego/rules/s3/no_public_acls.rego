package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: S3 buckets grant nothing through public ACLs
# description: |
#   No canned ACL public-read, public-read-write or authenticated-read (aws_s3_bucket_acl.acl or
#   the legacy aws_s3_bucket.acl), and no ACL grant to the AllUsers or AuthenticatedUsers groups.
# custom:
#   id: S3-007
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP S3.2, FSBP S3.3, FSBP S3.12, SOC 2 CC6.1]
#   remediation: Remove the public ACL; with ownership controls BucketOwnerEnforced ACLs are disabled altogether. Share data through CloudFront or presigned URLs.
#   message: "{address} grants public access through an ACL ({attribute}: {observed})."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_acl]
#   sources: both
deny contains finding if {
	some t in ["aws_s3_bucket_acl", "aws_s3_bucket"]
	some r in res.live(t)
	acl := res.known(r, ["acl"])
	acl in public_canned_acls
	finding := {"rule": "S3-007", "address": res.address(r), "attribute": "acl", "observed": acl}
}

deny contains finding if {
	some r in res.live("aws_s3_bucket_acl")
	some policy in res.blocks(r, "access_control_policy")
	some grant in res.sub_blocks(policy, "grant")
	some grantee in res.sub_blocks(grant, "grantee")
	grantee.uri in public_grantee_uris
	finding := {"rule": "S3-007", "address": res.address(r), "attribute": "access_control_policy.grant.grantee.uri", "observed": grantee.uri}
}

public_canned_acls := {"public-read", "public-read-write", "authenticated-read"}

public_grantee_uris := {
	"http://acs.amazonaws.com/groups/global/AllUsers",
	"http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}
