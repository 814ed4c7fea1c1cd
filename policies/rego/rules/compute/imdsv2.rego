package baseplate.rules.compute

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Instances require IMDSv2
# description: |
#   aws_instance and aws_launch_template must set metadata_options.http_tokens = "required"
#   (or disable the endpoint with http_endpoint = "disabled"). An aws_instance launched from a
#   launch template without its own metadata_options inherits the template's, which is checked
#   instead.
# custom:
#   id: EC2-001
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP EC2.8, FSBP EC2.170, CIS 5.6, SOC 2 CC6.1]
#   remediation: Add metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (the compute constructs set it).
#   message: "{address} allows IMDSv1 ({attribute} = {observed}); require session tokens."
#   resource_types: [aws_instance, aws_launch_template]
#   sources: both
deny contains finding if {
	some t in ["aws_instance", "aws_launch_template"]
	some r in res.live(t)
	not _imdsv2(r)
	not _imds_undecided(r)
	not _inherits_from_template(r)
	finding := {"rule": "EC2-001", "address": res.address(r), "attribute": "metadata_options.http_tokens", "observed": _http_tokens(r)}
}

_imdsv2(r) if {
	some b in res.blocks(r, "metadata_options")
	b.http_tokens == "required"
}

_imdsv2(r) if {
	some b in res.blocks(r, "metadata_options")
	b.http_endpoint == "disabled"
}

_imds_undecided(r) if res.is_undecided(r, ["metadata_options"])

_imds_undecided(r) if {
	some i, b in res.as_array(res.raw(r, ["metadata_options"]))
	some attr in ["http_tokens", "http_endpoint"]
	_block_value_undecided(r, ["metadata_options", i, attr], object.get(b, attr, null))
}

_inherits_from_template(r) if {
	r.type == "aws_instance"
	count(res.blocks(r, "launch_template")) > 0
	count(res.blocks(r, "metadata_options")) == 0
}

_http_tokens(r) := v if {
	some b in res.blocks(r, "metadata_options")
	v := b.http_tokens
} else := null
