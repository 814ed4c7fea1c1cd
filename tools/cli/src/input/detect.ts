import { CliError } from "../errors.ts";
import { isObject } from "@baseplate/policies/input";

export type InputKind = "synth" | "plan";


const SYNTH_BLOCKS = ["resource", "data", "provider", "terraform"] as const;

/** Plan JSON format versions this reader understands (`terraform show -json` 0.12 to 1.x). */
const PLAN_FORMAT = /^(0|1)\.\d+$/;

/**
 * Decides by content what a parsed JSON document is: a cdktf synthesized stack or a plan from
 * `terraform show -json`. Anything else is a CliError saying what the file is and what was expected.
 */
export function detectKind(doc: unknown, file: string): InputKind {
  const expected =
    "a synthesized stack (cdktf.out/stacks/<stack>/cdk.tf.json) or a plan rendered with `terraform show -json <planfile>`";
  if (!isObject(doc)) {
    const what = Array.isArray(doc) ? "a JSON array" : `a JSON ${doc === null ? "null" : typeof doc}`;
    throw new CliError(`${file} holds ${what}, but ${expected} was expected.`);
  }
  if (typeof doc["format_version"] === "string" && ("resource_changes" in doc || "planned_values" in doc)) {
    const version = doc["format_version"];
    if (!PLAN_FORMAT.test(version)) {
      throw new CliError(
        `${file} is a plan in JSON format ${version}, which this version of baseplate does not understand (it reads 0.x and 1.x); upgrade baseplate or render the plan with a Terraform 1.x CLI.`,
      );
    }
    return "plan";
  }
  if (
    typeof doc["version"] === "number" &&
    (Array.isArray(doc["resources"]) || Array.isArray(doc["modules"])) &&
    ("lineage" in doc || "serial" in doc || "terraform_version" in doc)
  ) {
    throw new CliError(
      `${file} is a Terraform state file, not a plan; pass the output of \`terraform show -json <planfile>\` or a cdk.tf.json instead.`,
    );
  }
  if (typeof doc["format_version"] === "string" && isObject(doc["values"])) {
    throw new CliError(
      `${file} is Terraform state rendered by \`terraform show -json\` without a plan file; run \`terraform plan -out=tfplan\` and pass \`terraform show -json tfplan\`, or a cdk.tf.json.`,
    );
  }
  if (SYNTH_BLOCKS.some((block) => block in doc) && isObject(doc["//"])) {
    return "synth";
  }
  if (SYNTH_BLOCKS.some((block) => block in doc)) {
    throw new CliError(
      `${file} looks like Terraform JSON configuration but has no cdktf "//" metadata; pass ${expected}.`,
    );
  }
  throw new CliError(`${file} is not a recognised input; ${expected} was expected.`);
}
