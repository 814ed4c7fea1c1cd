/**
 * AWS data sources whose result is known from configuration and the stack's environment:
 * `aws_iam_policy_document` (rendered as the AWS provider renders it), `aws_partition`,
 * `aws_caller_identity`, `aws_region`, and `aws_iam_policy` for AWS-managed policies.
 */
import { isObjectValue, isWhollyKnown, newObject, toJson, Unknown, unknownParts, fromJson, type Value, type ValueObject } from "./values.ts";

/** The environment a stack deploys into; null where it is not known. */
export interface AwsEnvironment {
  account: string | null;
  region: string | null;
}

/** The partition of a region, as the AWS provider derives it (`aws` unless the region says otherwise). */
export function partitionOf(region: string | null): { partition: string; dnsSuffix: string } {
  const r = region ?? "";
  if (r.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
  if (r.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
  if (r.startsWith("us-isob-")) return { partition: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov" };
  if (r.startsWith("us-iso-")) return { partition: "aws-iso", dnsSuffix: "c2s.ic.gov" };
  if (r.startsWith("eu-isoe-")) return { partition: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk" };
  if (r.startsWith("us-isof-")) return { partition: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov" };
  return { partition: "aws", dnsSuffix: "amazonaws.com" };
}

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/**
 * AWS-managed policies Baseplate knows the document of (as AWS publishes them), by name. A rule
 * reads the `policy` attribute of the `aws_iam_policy` data source (or of the attachment, through
 * the data source's `arn`) like any other policy document.
 */
export const AWS_MANAGED_POLICIES: ReadonlyMap<string, object> = new Map<string, object>([
  ["AdministratorAccess", ALLOW_ALL],
  [
    "PowerUserAccess",
    {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
        {
          Effect: "Allow",
          Action: [
            "account:GetAccountInformation",
            "account:GetPrimaryEmail",
            "account:ListRegions",
            "iam:CreateServiceLinkedRole",
            "iam:DeleteServiceLinkedRole",
            "iam:ListRoles",
            "organizations:DescribeOrganization",
          ],
          Resource: "*",
        },
      ],
    },
  ],
  [
    "IAMFullAccess",
    {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: [
            "iam:*",
            "organizations:DescribeAccount",
            "organizations:DescribeOrganization",
            "organizations:DescribeOrganizationalUnit",
            "organizations:DescribePolicy",
            "organizations:ListChildren",
            "organizations:ListParents",
            "organizations:ListPoliciesForTarget",
            "organizations:ListRoots",
            "organizations:ListPolicies",
            "organizations:ListTargetsForPolicy",
          ],
          Resource: "*",
        },
      ],
    },
  ],
]);

const MANAGED_ARN = /^arn:[a-z-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** Known attributes of `data "aws_iam_policy"` naming an AWS-managed policy by `arn` or `name`; null otherwise. */
export function managedPolicyAttributes(config: ValueObject, partition: string): ValueObject | null {
  const arn = config["arn"];
  const name = config["name"];
  let policyName: string | null = null;
  if (typeof arn === "string") policyName = MANAGED_ARN.exec(arn)?.[1] ?? null;
  else if (arn instanceof Unknown) {
    // arn:${partition}:iam::aws:policy/AdministratorAccess with an unknown partition still names the policy
    policyName = /:iam::aws:policy\/(?:.*\/)?([A-Za-z0-9+=,.@_-]+)$/.exec(arn.text)?.[1] ?? null;
  } else if (typeof name === "string") policyName = name;
  if (policyName === null) return null;
  const document = AWS_MANAGED_POLICIES.get(policyName);
  if (document === undefined) return null;
  const out = newObject();
  out["arn"] = typeof arn === "string" ? arn : `arn:${partition}:iam::aws:policy/${policyName}`;
  out["name"] = policyName;
  out["path"] = "/";
  out["policy"] = JSON.stringify(document, null, 2);
  return out;
}

// ---- aws_iam_policy_document ------------------------------------------------------------------

type Statement = ValueObject;

function asList(v: Value | undefined): Value[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  return [v];
}

/** The provider writes one value as a string and several as a list, sorted in reverse. */
function stringSet(v: Value | undefined): Value | undefined {
  const items = asList(v);
  if (v instanceof Unknown) return v;
  if (items.length === 0) return undefined;
  if (items.length === 1) return items[0];
  const known = items.filter((i): i is string => typeof i === "string");
  const rest = items.filter((i) => typeof i !== "string");
  return [...[...new Set(known)].sort().reverse(), ...rest];
}

function principals(blocks: Value | undefined): Value | undefined {
  if (blocks instanceof Unknown) return blocks;
  const byType = new Map<string, Value[]>();
  let unknown: Unknown | null = null;
  for (const block of asList(blocks)) {
    if (block instanceof Unknown) {
      unknown = block;
      continue;
    }
    if (!isObjectValue(block)) continue;
    const type = block["type"];
    if (type instanceof Unknown) {
      unknown = type;
      continue;
    }
    if (typeof type !== "string") continue;
    const ids = block["identifiers"];
    const list = byType.get(type) ?? [];
    if (ids instanceof Unknown) list.push(ids);
    else list.push(...asList(ids));
    byType.set(type, list);
  }
  if (byType.size === 0) return unknown ?? undefined;
  const star = byType.get("*");
  if (byType.size === 1 && star !== undefined && star.every((id) => id === "*")) return "*";
  const out = newObject();
  for (const type of [...byType.keys()].sort()) out[type] = stringSet(byType.get(type)) ?? [];
  return out;
}

function conditions(blocks: Value | undefined): Value | undefined {
  if (blocks instanceof Unknown) return blocks;
  const out = newObject();
  for (const block of asList(blocks)) {
    if (!isObjectValue(block)) continue;
    const test = block["test"];
    const variable = block["variable"];
    if (typeof test !== "string" || typeof variable !== "string") {
      // an unknown operator or key: keep it visible as an unknown condition
      const u = [test, variable].find((x): x is Unknown => x instanceof Unknown);
      if (u !== undefined) out[u.text] = newObject();
      continue;
    }
    const current = out[test];
    const byTest = isObjectValue(current) ? current : newObject();
    const values = block["values"];
    const previous = byTest[variable];
    const merged = [...asList(previous), ...asList(values)];
    byTest[variable] = values instanceof Unknown && previous === undefined ? values : (stringSet(merged) ?? []);
    out[test] = byTest;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One `statement` block as the provider writes it in the document's JSON. */
function statementJson(block: ValueObject): Statement {
  const s = newObject();
  const sid = block["sid"];
  if (sid !== undefined && sid !== null && sid !== "") s["Sid"] = sid;
  const effect = block["effect"];
  s["Effect"] = effect === undefined || effect === null || effect === "" ? "Allow" : effect;
  const fields: [string, string][] = [
    ["actions", "Action"],
    ["not_actions", "NotAction"],
    ["resources", "Resource"],
    ["not_resources", "NotResource"],
  ];
  for (const [attr, key] of fields) {
    const v = stringSet(block[attr]);
    if (v !== undefined) s[key] = v;
  }
  const p = principals(block["principals"]);
  if (p !== undefined) s["Principal"] = p;
  const np = principals(block["not_principals"]);
  if (np !== undefined) s["NotPrincipal"] = np;
  const c = conditions(block["condition"]);
  if (c !== undefined) s["Condition"] = c;
  return s;
}

/** The statements of a JSON policy document given as a value; an Unknown entry where they cannot be read. */
function documentStatements(doc: Value): Value[] {
  let parsed: Value = null;
  if (typeof doc === "string") {
    try {
      parsed = fromJson(JSON.parse(doc) as unknown, "a value in a source policy document");
    } catch {
      return [];
    }
  } else if (doc instanceof Unknown) {
    try {
      parsed = fromJson(JSON.parse(doc.text) as unknown, [...doc.what].join("; "));
    } catch {
      return [doc];
    }
  } else if (isObjectValue(doc)) parsed = doc;
  if (!isObjectValue(parsed)) return [];
  const statements = parsed["Statement"];
  if (statements instanceof Unknown) return [statements];
  return asList(statements);
}

function sidOf(s: Value): string | null {
  return isObjectValue(s) && typeof s["Sid"] === "string" && s["Sid"] !== "" ? s["Sid"] : null;
}

/** Adds a statement: replaces the one with the same Sid, else appends (the provider's merge). */
function mergeStatement(into: Value[], s: Value): void {
  const sid = sidOf(s);
  const at = sid === null ? -1 : into.findIndex((x) => sidOf(x) === sid);
  if (at >= 0) into[at] = s;
  else into.push(s);
}

/**
 * The `json` / `minified_json` of an `aws_iam_policy_document` from its evaluated configuration:
 * source documents first, then the document's own statements (replacing a source statement with
 * the same Sid), then override documents (replacing by Sid or appended). Unknown parts stay as
 * `${...}` strings; a source document that cannot be read at all leaves its token as an entry of
 * `Statement`, so the statements that are known are still judged.
 */
export function policyDocumentAttributes(config: ValueObject): ValueObject {
  const statements: Value[] = [];
  const sources = config["source_policy_documents"];
  for (const doc of sources instanceof Unknown ? [sources] : asList(sources)) {
    for (const s of documentStatements(doc)) statements.push(s);
  }
  const own = config["statement"];
  if (own instanceof Unknown) statements.push(own);
  else for (const block of asList(own)) if (isObjectValue(block)) mergeStatement(statements, statementJson(block));
  const overrides = config["override_policy_documents"];
  for (const doc of overrides instanceof Unknown ? [overrides] : asList(overrides)) {
    for (const s of documentStatements(doc)) mergeStatement(statements, s);
  }
  const document = newObject();
  const version = config["version"];
  document["Version"] = version === undefined || version === null || version === "" ? "2012-10-17" : version;
  const id = config["policy_id"];
  if (id !== undefined && id !== null && id !== "") document["Id"] = id;
  if (statements.length > 0) document["Statement"] = statements;
  const plain = toJson(document);
  const json = JSON.stringify(plain, null, 2);
  const minified = JSON.stringify(plain);
  const out = newObject();
  if (isWhollyKnown(document)) {
    out["json"] = json;
    out["minified_json"] = minified;
  } else {
    const what = [...unknownParts(document)];
    out["json"] = new Unknown(null, json, what);
    out["minified_json"] = new Unknown(null, minified, what);
  }
  return out;
}

/** Known attributes of `aws_partition`, `aws_caller_identity`, `aws_region` and the others above; null for other types. */
export function dataSourceAttributes(type: string, config: ValueObject, region: string | null, env: AwsEnvironment): ValueObject | null {
  const out = newObject();
  switch (type) {
    case "aws_iam_policy_document":
      return policyDocumentAttributes(config);
    case "aws_partition": {
      const { partition, dnsSuffix } = partitionOf(region);
      out["partition"] = partition;
      out["id"] = partition;
      out["dns_suffix"] = dnsSuffix;
      out["reverse_dns_prefix"] = dnsSuffix.split(".").reverse().join(".");
      return out;
    }
    case "aws_caller_identity":
      if (env.account === null) return null;
      out["account_id"] = env.account;
      out["id"] = env.account;
      return out;
    case "aws_region": {
      const given = typeof config["region"] === "string" ? config["region"] : typeof config["name"] === "string" ? config["name"] : null;
      const name = given ?? region;
      if (name === null) return null;
      out["name"] = name;
      out["region"] = name;
      out["id"] = name;
      return out;
    }
    case "aws_iam_policy":
      return managedPolicyAttributes(config, partitionOf(region).partition);
    default:
      return null;
  }
}
