package baseplate.rules.network_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.network

test_cases if testing.all_pass("network")

_r(type, name, values) := {
	"address": concat(".", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"values": values,
	"before": null,
	"unknown": {},
	"sensitive": {},
	"actions": [],
	"replace": false,
	"references": [],
	"construct": null,
	"source_location": null,
	"provider": "aws",
}

_in(resources) := {
	"schema": "baseplate/policy-input@1",
	"source": "synth",
	"stack": "net-dev",
	"environment": {"name": "dev", "tier": "dev", "account": null, "region": null},
	"now": "2026-11-24T00:00:00Z",
	"resources": resources,
}

_sg(ingress) := _r("aws_security_group", "web", {"name": "web", "ingress": ingress})

_ids(findings) := {f.rule | some f in findings}

_rule_findings(findings, id) := {f | some f in findings; f.rule == id}

# --- NET-001 / NET-002: inline ingress ---------------------------------------------------

test_inline_https_from_world_passes if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([
		{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]},
		{"protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_blocks": ["0.0.0.0/0"]},
	])]})
	count(findings) == 0
}

test_inline_8080_from_world_fails if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "tcp", "from_port": 8080, "to_port": 8080, "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"]}])]})
	findings == {{
		"rule": "NET-001",
		"address": "aws_security_group.web",
		"attribute": "ingress[0].cidr_blocks",
		"observed": "tcp 8080-8080 from 0.0.0.0/0",
	}}
}

test_inline_private_cidr_passes if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.0/8"]}])]})
	count(findings) == 0
}

test_range_80_to_443_is_not_web_only if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "tcp", "from_port": 80, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}])]})
	_ids(findings) == {"NET-001"}
}

test_udp_443_from_world_fails if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "udp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}])]})
	_ids(findings) == {"NET-001"}
}

test_ssh_from_world_is_net_002_only if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "tcp", "from_port": 22, "to_port": 22, "ipv6_cidr_blocks": ["::/0"]}])]})
	findings == {{
		"rule": "NET-002",
		"address": "aws_security_group.web",
		"attribute": "ingress[0].ipv6_cidr_blocks",
		"observed": "tcp 22-22 from ::/0",
	}}
}

test_range_covering_postgres_fails if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "6", "from_port": 5000, "to_port": 6000, "cidr_blocks": ["0.0.0.0/0"]}])]})
	_ids(findings) == {"NET-002"}
}

test_all_protocols_from_world_fails if {
	every proto in ["-1", "all", -1, "ALL", null] {
		findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": proto, "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}])]})
		findings == {{"rule": "NET-002", "address": "aws_security_group.web", "attribute": "ingress[0].cidr_blocks", "observed": "all traffic from 0.0.0.0/0"}}
	}
}

test_each_database_port_is_restricted if {
	every p in [22, 3389, 3306, 5432, 1433, 1521, 5439, 6379, 27017, 9200] {
		findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "tcp", "from_port": p, "to_port": p, "cidr_blocks": ["0.0.0.0/0"]}])]})
		_ids(findings) == {"NET-002"}
	}
}

test_string_ports_are_read_as_numbers if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "tcp", "from_port": "3389", "to_port": "3389", "cidr_blocks": ["0.0.0.0/0"]}])]})
	_ids(findings) == {"NET-002"}
}

test_missing_ports_are_read_as_widest_range if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}])]})
	[f] := [f | some f in findings]
	f.rule == "NET-002"
	f.observed == "tcp 0-65535 from 0.0.0.0/0"
}

test_missing_protocol_is_read_as_all if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}])]})
	_ids(findings) == {"NET-002"}
}

test_reference_port_is_not_judged if {
	ingress := {"protocol": "tcp", "from_port": "${var.port}", "to_port": "${var.port}", "cidr_blocks": ["0.0.0.0/0"]}
	findings := network.deny with input as _in({"aws_security_group": [_sg([ingress])]})
	count(findings) == 0
}

test_reference_cidr_is_not_judged if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["${var.cidr}"]}])]})
	count(findings) == 0
}

test_unknown_ports_in_plan_are_not_judged if {
	sg := object.union(_sg([{"protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]), {"unknown": {"ingress": [{"from_port": true, "to_port": true}]}})
	findings := network.deny with input as _in({"aws_security_group": [sg]})
	count(findings) == 0
}

test_known_world_ssh_beside_unknown_block_still_fails if {
	sg := object.union(
		_sg([{"protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}, {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]),
		{"unknown": {"ingress": [{"from_port": true, "to_port": true}, {}]}},
	)
	findings := network.deny with input as _in({"aws_security_group": [sg]})
	{f.attribute | some f in findings} == {"ingress[1].cidr_blocks"}
}

test_bare_object_ingress_block_is_read if {
	findings := network.deny with input as _in({"aws_security_group": [_sg({"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]})]})
	_ids(findings) == {"NET-002"}
}

test_cidr_string_instead_of_list_is_read if {
	findings := network.deny with input as _in({"aws_security_group": [_sg([{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": "0.0.0.0/0"}])]})
	_ids(findings) == {"NET-002"}
}

test_malformed_security_groups_do_not_crash if {
	findings := network.deny with input as _in({"aws_security_group": [
		_sg(null),
		_sg("oops"),
		_sg([null, 3, "x", {"cidr_blocks": null}, {"cidr_blocks": [null, 7]}]),
		{"address": "aws_security_group.novalues"},
		"not a resource",
	]})
	count(findings) == 0
}

test_malformed_input_does_not_crash if {
	every inp in [{}, {"resources": null}, {"resources": []}, {"resources": {"aws_security_group": "x"}}] {
		count(network.deny) == 0 with input as inp
	}
}

test_deleted_security_group_is_not_judged if {
	sg := object.union(_sg([{"protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}]), {"actions": ["delete"]})
	findings := network.deny with input as object.union(_in({"aws_security_group": [sg]}), {"source": "plan"})
	count(findings) == 0
}

# --- NET-001 / NET-002: separate rule resources -----------------------------------------

test_security_group_rule_ingress_ssh_fails if {
	rule := _r("aws_security_group_rule", "ssh", {"type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]})
	findings := network.deny with input as _in({"aws_security_group_rule": [rule]})
	findings == {{"rule": "NET-002", "address": "aws_security_group_rule.ssh", "attribute": "cidr_blocks", "observed": "tcp 22-22 from 0.0.0.0/0"}}
}

test_security_group_rule_egress_is_ignored if {
	rule := _r("aws_security_group_rule", "out", {"type": "egress", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]})
	count(network.deny) == 0 with input as _in({"aws_security_group_rule": [rule]})
}

test_security_group_rule_https_passes if {
	rule := _r("aws_security_group_rule", "https", {"type": "ingress", "protocol": "tcp", "from_port": 443, "to_port": 443, "ipv6_cidr_blocks": ["::/0"]})
	count(network.deny) == 0 with input as _in({"aws_security_group_rule": [rule]})
}

test_vpc_ingress_rule_all_protocols_fails if {
	rule := _r("aws_vpc_security_group_ingress_rule", "all", {"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0", "security_group_id": "${aws_security_group.web.id}"})
	findings := network.deny with input as _in({"aws_vpc_security_group_ingress_rule": [rule]})
	findings == {{"rule": "NET-002", "address": "aws_vpc_security_group_ingress_rule.all", "attribute": "cidr_ipv4", "observed": "all traffic from 0.0.0.0/0"}}
}

test_vpc_ingress_rule_8443_ipv6_fails if {
	rule := _r("aws_vpc_security_group_ingress_rule", "alt", {"ip_protocol": "tcp", "from_port": 8443, "to_port": 8443, "cidr_ipv6": "::/0"})
	_ids(network.deny) == {"NET-001"} with input as _in({"aws_vpc_security_group_ingress_rule": [rule]})
}

test_vpc_ingress_rule_https_passes if {
	rule := _r("aws_vpc_security_group_ingress_rule", "https", {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"})
	count(network.deny) == 0 with input as _in({"aws_vpc_security_group_ingress_rule": [rule]})
}

test_vpc_ingress_rule_unknown_protocol_is_not_judged if {
	rule := object.union(
		_r("aws_vpc_security_group_ingress_rule", "x", {"cidr_ipv4": "0.0.0.0/0"}),
		{"unknown": {"ip_protocol": true}},
	)
	count(network.deny) == 0 with input as _in({"aws_vpc_security_group_ingress_rule": [rule]})
}

# --- NET-003 ----------------------------------------------------------------------------

test_vpc_without_flow_log_fails if {
	findings := network.deny with input as _in({"aws_vpc": [_r("aws_vpc", "main", {"cidr_block": "10.0.0.0/16"})]})
	findings == {{"rule": "NET-003", "address": "aws_vpc.main", "attribute": null, "observed": null}}
}

test_vpc_with_referencing_flow_log_passes if {
	fl := object.union(_r("aws_flow_log", "main", {"vpc_id": "${aws_vpc.main.id}"}), {"references": ["aws_vpc.main"]})
	count(network.deny) == 0 with input as _in({"aws_vpc": [_r("aws_vpc", "main", {})], "aws_flow_log": [fl]})
}

test_flow_log_for_another_vpc_does_not_count if {
	fl := object.union(_r("aws_flow_log", "other", {"vpc_id": "${aws_vpc.other.id}"}), {"references": ["aws_vpc.other"]})
	findings := network.deny with input as _in({"aws_vpc": [_r("aws_vpc", "main", {}), _r("aws_vpc", "other", {})], "aws_flow_log": [fl]})
	{f.address | some f in findings} == {"aws_vpc.main"}
}

test_flow_log_matched_by_known_vpc_id_passes if {
	count(network.deny) == 0 with input as _in({
		"aws_vpc": [_r("aws_vpc", "main", {"id": "vpc-123"})],
		"aws_flow_log": [_r("aws_flow_log", "main", {"vpc_id": "vpc-123"})],
	})
}

test_flow_log_reference_to_counted_vpc_instance_passes if {
	vpc := object.union(_r("aws_vpc", "main", {}), {"address": "module.net.aws_vpc.main[0]"})
	fl := object.union(_r("aws_flow_log", "main", {}), {"references": ["module.net.aws_vpc.main"]})
	count(network.deny) == 0 with input as _in({"aws_vpc": [vpc], "aws_flow_log": [fl]})
}

test_flow_log_with_malformed_references_does_not_hide_missing_log if {
	fl := object.union(_r("aws_flow_log", "main", {"vpc_id": null}), {"references": "aws_vpc.main.id"})
	_ids(network.deny) == {"NET-003"} with input as _in({"aws_vpc": [_r("aws_vpc", "main", {})], "aws_flow_log": [fl]})
}

# --- NET-004 ----------------------------------------------------------------------------

test_default_security_group_without_rules_passes if {
	dsg := _r("aws_default_security_group", "default", {"vpc_id": "${aws_vpc.main.id}", "ingress": [], "egress": []})
	count(network.deny) == 0 with input as _in({"aws_default_security_group": [dsg]})
}

test_default_security_group_with_rules_fails if {
	dsg := _r("aws_default_security_group", "default", {
		"ingress": [{"protocol": "-1", "self": true, "from_port": 0, "to_port": 0}],
		"egress": {"protocol": "-1", "cidr_blocks": ["10.0.0.0/8"]},
	})
	findings := network.deny with input as _in({"aws_default_security_group": [dsg]})
	findings == {
		{"rule": "NET-004", "address": "aws_default_security_group.default", "attribute": "ingress", "observed": 1},
		{"rule": "NET-004", "address": "aws_default_security_group.default", "attribute": "egress", "observed": 1},
	}
}

test_default_security_group_malformed_blocks_do_not_crash if {
	dsg := _r("aws_default_security_group", "default", {"ingress": "x", "egress": null})
	count(network.deny) == 0 with input as _in({"aws_default_security_group": [dsg]})
}

test_separate_rule_on_default_security_group_fails if {
	dsg := _r("aws_default_security_group", "default", {})
	rule := _r("aws_vpc_security_group_egress_rule", "out", {"security_group_id": "${aws_default_security_group.default.id}", "ip_protocol": "-1", "cidr_ipv4": "10.0.0.0/8"})
	findings := network.deny with input as _in({"aws_default_security_group": [dsg], "aws_vpc_security_group_egress_rule": [rule]})
	findings == {{"rule": "NET-004", "address": "aws_vpc_security_group_egress_rule.out", "attribute": "security_group_id", "observed": "aws_default_security_group.default"}}
}

test_separate_rule_on_default_security_group_by_known_id_fails if {
	dsg := _r("aws_default_security_group", "default", {"id": "sg-1"})
	rule := _r("aws_security_group_rule", "in", {"security_group_id": "sg-1", "type": "ingress", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"]})
	_ids(network.deny) == {"NET-004"} with input as _in({"aws_default_security_group": [dsg], "aws_security_group_rule": [rule]})
}

test_separate_rule_on_default_security_group_unknown_id_in_plan_fails if {
	dsg := _r("aws_default_security_group", "default", {})
	rule := object.union(
		_r("aws_vpc_security_group_ingress_rule", "in", {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "10.0.0.0/8"}),
		{"unknown": {"security_group_id": true}, "references": ["aws_default_security_group.default"]},
	)
	_ids(network.deny) == {"NET-004"} with input as _in({"aws_default_security_group": [dsg], "aws_vpc_security_group_ingress_rule": [rule]})
}

test_rule_on_other_security_group_passes if {
	dsg := _r("aws_default_security_group", "default", {})
	rule := _r("aws_vpc_security_group_egress_rule", "out", {"security_group_id": "${aws_security_group.app.id}", "ip_protocol": "-1", "cidr_ipv4": "10.0.0.0/8"})
	count(network.deny) == 0 with input as _in({"aws_default_security_group": [dsg], "aws_vpc_security_group_egress_rule": [rule]})
}

# --- NET-005 ----------------------------------------------------------------------------

test_nacl_allowing_world_ssh_fails if {
	acl := _r("aws_network_acl", "public", {"ingress": [{"action": "allow", "protocol": "tcp", "rule_no": 100, "cidr_block": "0.0.0.0/0", "from_port": 0, "to_port": 65535}]})
	findings := network.deny with input as _in({"aws_network_acl": [acl]})
	findings == {{"rule": "NET-005", "address": "aws_network_acl.public", "attribute": "ingress[0].cidr_block", "observed": "tcp 0-65535 from 0.0.0.0/0"}}
}

test_nacl_deny_entry_passes if {
	acl := _r("aws_default_network_acl", "default", {"ingress": [{"action": "deny", "protocol": "-1", "rule_no": 100, "cidr_block": "0.0.0.0/0", "from_port": 0, "to_port": 0}]})
	count(network.deny) == 0 with input as _in({"aws_default_network_acl": [acl]})
}

test_nacl_allowing_world_https_passes if {
	acl := _r("aws_network_acl", "public", {"ingress": [{"action": "allow", "protocol": "6", "rule_no": 100, "ipv6_cidr_block": "::/0", "from_port": 443, "to_port": 443}]})
	count(network.deny) == 0 with input as _in({"aws_network_acl": [acl]})
}

test_nacl_rule_allowing_world_rdp_fails if {
	rule := _r("aws_network_acl_rule", "rdp", {"egress": false, "rule_action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0"})
	_ids(network.deny) == {"NET-005"} with input as _in({"aws_network_acl_rule": [rule]})
}

test_nacl_rule_egress_is_ignored if {
	rule := _r("aws_network_acl_rule", "out", {"egress": true, "rule_action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0"})
	count(network.deny) == 0 with input as _in({"aws_network_acl_rule": [rule]})
}

test_nacl_rule_with_unknown_egress_is_not_judged if {
	rule := object.union(_r("aws_network_acl_rule", "x", {"rule_action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0"}), {"unknown": {"egress": true}})
	count(network.deny) == 0 with input as _in({"aws_network_acl_rule": [rule]})
}

test_nacl_malformed_does_not_crash if {
	acl := _r("aws_network_acl", "x", {"ingress": [{"action": 5, "cidr_block": ["0.0.0.0/0"]}, null, {"action": "ALLOW", "cidr_block": null}]})
	count(network.deny) == 0 with input as _in({"aws_network_acl": [acl]})
}
