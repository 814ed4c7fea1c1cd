package baseplate.rules.change

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Network boundary changes need approval
# description: |
#   Any change to routes and route tables, security groups and their rules, network ACLs,
#   VPC peering, transit gateway attachments and routes, internet, NAT and VPN gateways is
#   routed to an approver.
# custom:
#   id: CHG-003
#   severity: medium
#   enforcement: advisory
#   controls: [SOC 2 CC6.6, SOC 2 CC8.1]
#   remediation: Have a network approver confirm which traffic the change newly allows or blocks.
#   message: "{address} will be {observed}d: a network boundary change."
#   resource_types: [aws_route, aws_route_table, aws_route_table_association, aws_default_route_table,
#     aws_main_route_table_association, aws_security_group, aws_security_group_rule,
#     aws_default_security_group, aws_vpc_security_group_ingress_rule, aws_vpc_security_group_egress_rule,
#     aws_network_acl, aws_network_acl_rule, aws_default_network_acl, aws_network_acl_association,
#     aws_vpc_peering_connection, aws_vpc_peering_connection_accepter, aws_ec2_transit_gateway_vpc_attachment,
#     aws_ec2_transit_gateway_route, aws_ec2_transit_gateway_route_table,
#     aws_ec2_transit_gateway_route_table_association, aws_ec2_transit_gateway_route_table_propagation,
#     aws_internet_gateway, aws_egress_only_internet_gateway, aws_nat_gateway, aws_vpn_gateway,
#     aws_vpn_connection, aws_customer_gateway]
#   sources: plan
#   risk: network-boundary
deny contains finding if {
	res.is_plan
	some t in network_boundary_types
	some r in res.managed(t)
	change := _change(r)
	finding := {"rule": "CHG-003", "address": res.address(r), "attribute": null, "observed": change}
}

network_boundary_types := [
	"aws_route", "aws_route_table", "aws_route_table_association", "aws_default_route_table",
	"aws_main_route_table_association",
	"aws_security_group", "aws_security_group_rule", "aws_default_security_group",
	"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
	"aws_network_acl", "aws_network_acl_rule", "aws_default_network_acl", "aws_network_acl_association",
	"aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter",
	"aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_route",
	"aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway_route_table_association",
	"aws_ec2_transit_gateway_route_table_propagation",
	"aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_nat_gateway",
	"aws_vpn_gateway", "aws_vpn_connection", "aws_customer_gateway",
]
