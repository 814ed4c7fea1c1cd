import type { IAspect } from "../engine/index.ts";
import { TerraformResource } from "../engine/index.ts";
import type { IConstruct } from "constructs";
// Types only: these two classes are among the provider's largest (1.6 MB of JavaScript together),
// and a stack that has neither should not pay for loading them. Resources are told apart by
// their Terraform type and the setter this aspect calls.
import type { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import type { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import type { BaselineStack } from "./stack.ts";

function isAutoscalingGroup(node: TerraformResource): node is AutoscalingGroup {
  return node.terraformResourceType === "aws_autoscaling_group" && typeof (node as Partial<AutoscalingGroup>).putTag === "function";
}

function isLaunchTemplate(node: TerraformResource): node is LaunchTemplate {
  return node.terraformResourceType === "aws_launch_template" && typeof (node as Partial<LaunchTemplate>).putTagSpecifications === "function";
}

/**
 * Puts the mandatory tags where the provider's `default_tags` do not reach:
 * - `aws_autoscaling_group`: `tag` blocks with `propagate_at_launch`, so instances carry them;
 * - `aws_launch_template`: `tag_specifications` for instances and volumes;
 * - any taggable resource whose provider is not one of the stack's tagged AWS providers.
 * Tags a user set explicitly win for non-mandatory keys; mandatory keys always hold the baseline value.
 */
export class TagEnforcer implements IAspect {
  private readonly stack: BaselineStack;

  constructor(stack: BaselineStack) {
    this.stack = stack;
  }

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const tags = this.stack.mandatoryTags;
    if (isAutoscalingGroup(node)) {
      const present = new Set<string>();
      const existing = node.tagInput;
      if (Array.isArray(existing)) for (const t of existing) present.add(t.key);
      const missing = Object.entries(tags).filter(([k]) => !present.has(k));
      if (missing.length > 0) {
        node.putTag([
          ...(Array.isArray(existing) ? existing : []),
          ...missing.map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        ]);
      }
      return;
    }
    if (isLaunchTemplate(node)) {
      const specs = node.tagSpecificationsInput;
      if (!Array.isArray(specs) || specs.length === 0) {
        node.putTagSpecifications([
          { resourceType: "instance", tags: { ...tags } },
          { resourceType: "volume", tags: { ...tags } },
        ]);
      }
      return;
    }
    const provider = node.provider;
    const tagged = provider === undefined || this.stack.taggedProviders.includes(provider as never);
    if (tagged) return;
    const resource = node as unknown as { tags?: Record<string, string>; tagsInput?: Record<string, string> };
    if (!("tagsInput" in resource)) return;
    resource.tags = { ...(resource.tagsInput ?? {}), ...tags };
  }
}
