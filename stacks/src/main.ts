/**
 * Entry point for the cdktf CLI (`cdktf synth`, `cdktf diff`): builds every stack of the estate.
 * `baseplate synth` does the same in process, faster, and can select stacks.
 */
import { App } from "cdktf";
import { buildApp } from "./app.ts";

const app = new App();
buildApp(app, process.env.BASEPLATE_STACKS ? process.env.BASEPLATE_STACKS.split(",").filter(Boolean) : []);
app.synth();
