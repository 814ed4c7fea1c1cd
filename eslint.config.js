// ESLint flat config: type-aware typescript-eslint for every workspace project.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const providerRootMessage =
  "Import provider classes by deep path, e.g. '@cdktf/provider-aws/lib/s3-bucket/index.js'. " +
  "The package root loads every AWS resource class and costs seconds of load and type-check time.";
const policiesLayerMessage =
  "policies/ may not import from tools/: the CLI depends on @baseplate/policies, never the reverse. Move what both need into policies/src.";

/** The provider package's root (and its lib index), refused everywhere: import classes by deep path. */
const providerRootPaths = [{ name: "@cdktf/provider-aws", message: providerRootMessage }];
const providerRootPatterns = [
  { regex: "^@cdktf/provider-aws/lib/?$", message: providerRootMessage },
  { regex: "^@cdktf/provider-aws/lib/index(\\.js)?$", message: providerRootMessage },
];

const engineMessage =
  "Take the engine's API from '@baseplate/modules' (modules/src/engine), the one module that imports cdktf, " +
  "so the engine's names and the internals Baseplate patches live in one place (docs/engine.md).";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/cdktf.out/**",
      "**/dist/**",
      "**/coverage/**",
      "**/.nx/**",
      "**/.tools/**",
      "policies/build/**",
      "**/.gen/**",
      "**/*.js",
      "!eslint.config.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: providerRootPaths,
          patterns: providerRootPatterns,
        },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      eqeqeq: ["error", "always"],
    },
  },
  {
    // The policies package is below the CLI: it may not reach back into tools/ (the CLI depends on it).
    files: ["policies/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: providerRootPaths,
          patterns: [
            ...providerRootPatterns,
            { regex: "(^|/)tools/|^@baseplate/(cli|hostile|workflows|generators)$", message: policiesLayerMessage },
          ],
        },
      ],
    },
  },
  {
    // Constructors read as named steps (parse the props, create each part): a function of the
    // constructs may not grow past 120 lines (aim for 80). modules/test/lint.test.ts proves it fires.
    files: ["modules/src/**/*.ts"],
    rules: { "max-lines-per-function": ["error", { max: 120, IIFEs: true }] },
  },
  {
    // The engine boundary: only modules/src/engine imports cdktf (tests may use its Testing helpers).
    files: ["modules/src/**/*.ts", "stacks/src/**/*.ts", "tools/*/src/**/*.ts", "tools/*/bin/**/*.ts"],
    ignores: ["modules/src/engine/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [...providerRootPaths, { name: "cdktf", message: engineMessage }],
          patterns: [...providerRootPatterns, { regex: "^cdktf/", message: engineMessage }],
        },
      ],
    },
  },
  {
    files: ["eslint.config.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Small CommonJS stand-ins Node loads in place of a package (modules/src/engine/deferred).
    files: ["**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable" },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, "@typescript-eslint/no-require-imports": "off" },
  },
);
