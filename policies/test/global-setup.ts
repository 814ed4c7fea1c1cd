import { build } from "../scripts/build.ts";

export default async function setup(): Promise<void> {
  await build();
}
