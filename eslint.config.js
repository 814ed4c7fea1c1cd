// ESLint flat config: type-aware typescript-eslint for every workspace project.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const providerRootMessage =
  "Import provider classes by deep path, e.g. '@cdktf/provider-aws/lib/s3-bucket/index.js'. " +
  "The package root loads every AWS resource class and costs seconds of load and type-check time.";
const policiesLayerMessage =
  "policies/ may not import from tools/: the CLI depends on @baseplate/policies, never the reverse. Move what both need into policies/src.";

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
          paths: [{ name: "@cdktf/provider-aws", message: providerRootMessage }],
          patterns: [
            { regex: "^@cdktf/provider-aws/lib/?$", message: providerRootMessage },
            { regex: "^@cdktf/provider-aws/lib/index(\\.js)?$", message: providerRootMessage },
          ],
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
          paths: [{ name: "@cdktf/provider-aws", message: providerRootMessage }],
          patterns: [
            { regex: "^@cdktf/provider-aws/lib/?$", message: providerRootMessage },
            { regex: "^@cdktf/provider-aws/lib/index(\\.js)?$", message: providerRootMessage },
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
