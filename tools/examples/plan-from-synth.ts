/**
 * Derives an example Terraform plan (`terraform show -json`, format 1.2) from a synthesized stack,
 * so the docs can show `baseplate review` on a realistic change to the example estate without an
 * AWS account. Every resource is a no-op except the changes listed in CHANGES; references become
 * unknown values, exactly as Terraform shows values it cannot know before apply.
 *
 *   node tools/examples/plan-from-synth.ts cdktf.out/stacks/payments-api-prod/cdk.tf.json > plan.json
 */
import { readFileSync } from "node:fs";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** The change the example shows: a routine release that also touches IAM, the network and a data store. */
export const CHANGES: { type: string; match: string; actions: string[]; edit?: (after: Obj) => void }[] = [
  // A new image: the task definition is replaced (create before destroy).
  { type: "aws_ecs_task_definition", match: "task-definition", actions: ["create", "delete"] },
  // A new grant on the task role's policy.
  { type: "aws_iam_role_policy", match: "task-role_policy", actions: ["update"] },
  // The database's parameter group is replaced (a static parameter changed).
  { type: "aws_db_parameter_group", match: "parameter-group", actions: ["delete", "create"] },
  // The load balancer's HTTP ingress rule is removed (HTTPS only).
  { type: "aws_vpc_security_group_ingress_rule", match: "-80_", actions: ["delete"] },
  // A larger dashboard.
  { type: "aws_cloudwatch_dashboard", match: "dashboard", actions: ["update"] },
];

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Splits a value into what is known now and the unknown marks (`${...}` references are unknown). */
function known(v: Json): [Json, Json] {
  if (typeof v === "string" && v.includes("${")) return [null, true];
  if (Array.isArray(v)) {
    const pairs = v.map(known);
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1] ?? false)];
  }
  if (isObj(v)) {
    const after: Obj = {};
    const unknown: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "//" || k === "depends_on" || k === "lifecycle" || k === "provider") continue;
      const [a, u] = known(x);
      if (u === true) unknown[k] = true;
      else {
        after[k] = a;
        if (isObj(u) || Array.isArray(u)) unknown[k] = u;
      }
    }
    return [after, unknown];
  }
  return [v, false];
}

/** Configuration expressions with references, as `terraform show -json` writes them. */
function expressions(v: Obj): Obj {
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "//" || k === "depends_on" || k === "lifecycle" || k === "provider") continue;
    const text = JSON.stringify(x);
    const refs = [...text.matchAll(/\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)[^}]*\}/g)].map((m) => m[1]!);
    out[k] = refs.length > 0 ? { references: [...new Set(refs)] } : { constant_value: x };
  }
  return out;
}

export function planFromSynth(doc: Obj): Obj {
  const resourceChanges: Json[] = [];
  const configResources: Json[] = [];
  const resources = isObj(doc.resource) ? doc.resource : {};
  for (const type of Object.keys(resources).sort()) {
    const byName = resources[type];
    if (!isObj(byName)) continue;
    for (const name of Object.keys(byName).sort()) {
      const config = byName[name];
      if (!isObj(config)) continue;
      const address = `${type}.${name}`;
      const [after, afterUnknown] = known(config);
      const change = CHANGES.find((c) => c.type === type && name.includes(c.match));
      const actions = change?.actions ?? ["no-op"];
      const deleting = actions.length === 1 && actions[0] === "delete";
      const before = isObj(after) ? { ...after, id: `${name.toLowerCase()}-id` } : after;
      const planned = isObj(after) ? { ...after } : after;
      if (change?.edit && isObj(planned)) change.edit(planned);
      resourceChanges.push({
        address,
        mode: "managed",
        type,
        name,
        provider_name: "registry.terraform.io/hashicorp/aws",
        change: {
          actions,
          before: actions.includes("create") && actions.length === 1 ? null : before,
          after: deleting ? null : planned,
          after_unknown: deleting ? {} : actions.includes("create") || actions.includes("update") ? { ...(isObj(afterUnknown) ? afterUnknown : {}), id: true } : afterUnknown,
          before_sensitive: {},
          after_sensitive: {},
          ...(actions.length === 2 ? { replace_paths: [["name"]] } : {}),
        },
        ...(actions.length === 2 ? { action_reason: "replace_because_cannot_update" } : {}),
      });
      configResources.push({ address, mode: "managed", type, name, provider_config_key: "aws", expressions: expressions(config) });
    }
  }
  const providers = isObj(doc.provider) && Array.isArray(doc.provider.aws) ? doc.provider.aws : [];
  const providerConfig: Obj = {};
  for (const p of providers) {
    if (!isObj(p)) continue;
    const key = typeof p.alias === "string" ? `aws.${p.alias}` : "aws";
    providerConfig[key] = { name: "aws", full_name: "registry.terraform.io/hashicorp/aws", ...(typeof p.alias === "string" ? { alias: p.alias } : {}), expressions: expressions(p) };
  }
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: resourceChanges,
    configuration: { provider_config: providerConfig, root_module: { resources: configResources } },
    applyable: true,
    complete: true,
    errored: false,
  };
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node tools/examples/plan-from-synth.ts <cdk.tf.json>");
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(planFromSynth(JSON.parse(readFileSync(file, "utf8")) as Obj), null, 2) + "\n");
}
