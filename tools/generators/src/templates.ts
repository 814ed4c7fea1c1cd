// The files of an environment project. The shipped environments use exactly these templates (a
// test keeps them in step), so a generated environment looks like a hand-written one.
import { renderLiteral, type Literal } from "./source.ts";

/** Where environment projects live, relative to the workspace root. */
export const ENVIRONMENTS_DIR = "stacks/environments";
/** The environment registry, relative to the workspace root. */
export const REGISTRY_FILE = "stacks/src/environments/index.ts";
/** The organisation-wide settings spread into every environment config. */
export const ORG_FILE = "stacks/src/environments/org.ts";

/** The config file of an environment. */
export function configFile(name: string): string {
  return `${ENVIRONMENTS_DIR}/${name}/config.ts`;
}

/** `stacks/environments/<name>/config.ts`: the config literal (without the ORG settings it spreads). */
export function renderEnvironmentConfig(name: string, config: { [key: string]: Literal }): string {
  const body = Object.entries(config)
    .map(([k, v]) => `    ${k}: ${renderLiteral(v, "    ")},`)
    .join("\n");
  return `import { defineEnvironment } from "../../src/environments/define.ts";
import { ORG } from "../../src/environments/org.ts";

/** The \`${name}\` environment. Add a service with \`npx nx g @baseplate/generators:service --environment=${name}\`. */
export default defineEnvironment(
  {
    ...ORG,
${body}
  },
  "${configFile(name)}",
);
`;
}

/** `stacks/environments/<name>/project.json`: the environment's Nx project. */
export function renderEnvironmentProject(name: string): string {
  const root = `${ENVIRONMENTS_DIR}/${name}`;
  const project = {
    $schema: "../../../node_modules/nx/schemas/project-schema.json",
    name: `env-${name}`,
    projectType: "application",
    sourceRoot: root,
    tags: ["type:environment"],
    implicitDependencies: ["stacks", "policies", "cli"],
    targets: {
      typecheck: {
        executor: "nx:run-commands",
        cache: true,
        inputs: ["default", "^production"],
        options: { command: `tsc -p ${root}/tsconfig.json` },
      },
      lint: {
        executor: "nx:run-commands",
        cache: true,
        inputs: ["default", "^production", "lintConfig"],
        options: { command: `eslint --max-warnings=0 ${root}` },
      },
      synth: {
        executor: "nx:run-commands",
        cache: true,
        inputs: ["default", "^production", "{workspaceRoot}/cdktf.json"],
        outputs: ["{projectRoot}/cdktf.out"],
        options: { command: `node tools/cli/bin/baseplate.js synth --env ${name} --out ${root}/cdktf.out` },
      },
      gate: {
        executor: "nx:run-commands",
        dependsOn: ["synth", "policies:build"],
        cache: false,
        options: { command: `node tools/cli/bin/baseplate.js check ${root}/cdktf.out` },
      },
      test: {
        executor: "nx:run-commands",
        dependsOn: ["policies:build"],
        outputs: ["{workspaceRoot}/reports/{projectName}"],
        options: {
          cwd: "stacks",
          command: `BASEPLATE_ENV=${name} vitest run test/environment.test.ts --reporter=default --reporter=json --outputFile.json=../reports/env-${name}/vitest.json`,
        },
        inputs: ["default", "^production", "{workspaceRoot}/stacks/test/environment.test.ts", "{workspaceRoot}/stacks/test/helpers.ts"],
      },
    },
  };
  return `${JSON.stringify(project, null, 2)}\n`;
}

/** `stacks/environments/<name>/tsconfig.json`. */
export function renderEnvironmentTsconfig(): string {
  return `${JSON.stringify({ extends: "../../../tsconfig.base.json", include: ["*.ts"] }, null, 2)}\n`;
}
