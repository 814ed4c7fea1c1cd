# METADATA
# title: Cost guardrails
# description: |
#   Advisory rules that point at cheaper equivalent choices. None of them fails the gate.
#
#   | rule     | tiers | what                                                              |
#   | -------- | ----- | ----------------------------------------------------------------- |
#   | COST-001 | dev   | one public NAT gateway in total, not one per Availability Zone    |
#   | COST-002 | all   | gp3 instead of gp2 volumes and RDS storage                        |
#   | COST-003 | dev   | RDS classes db.t3 / db.t4g up to large, or db.serverless          |
#   | COST-004 | all   | current-generation instance and database classes                  |
package baseplate.rules.cost

import rego.v1
