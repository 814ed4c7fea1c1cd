import { expect } from "vitest";
import { setupJest } from "cdktf/lib/testing/adapters/jest.js";

/** The cdktf Testing matchers (written for Jest) on Vitest's `expect`. */
interface ResourceClass {
  readonly tfResourceType: string;
}

declare module "vitest" {
  interface Assertion {
    /** The synthesized stack JSON holds a resource of this class. */
    toHaveResource(resource: ResourceClass): void;
    /** The synthesized stack JSON holds a resource of this class with these (snake_case) properties, matched partially. */
    toHaveResourceWithProperties(resource: ResourceClass, properties: Record<string, unknown>): void;
  }
}

(globalThis as { expect?: unknown }).expect = expect;
setupJest();
