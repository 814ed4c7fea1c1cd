/**
 * Entry point for the cdktf CLI (`cdktf synth`, `cdktf diff`): builds every stack of the estate.
 * `baseplate synth` does the same in process, faster, and can select stacks.
 */
import { installCdktfLoadHooks } from "@baseplate/modules/engine/load-hooks";

// Before cdktf and the provider load (hence the dynamic imports below).
installCdktfLoadHooks();
const { App } = await import("@baseplate/modules");
const { buildApp } = await import("./app.ts");

const app = new App();
buildApp(app, process.env.BASEPLATE_STACKS ? process.env.BASEPLATE_STACKS.split(",").filter(Boolean) : []);
app.synth();
