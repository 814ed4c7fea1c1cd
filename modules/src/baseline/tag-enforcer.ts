import type { IAspect } from "cdktf";
import { TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import type { BaselineStack } from "./stack.ts";

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
    if (node instanceof AutoscalingGroup) {
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
    if (node instanceof LaunchTemplate) {
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
