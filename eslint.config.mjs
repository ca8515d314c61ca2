import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "cdktf.out/",
      "policies/dist/",
      "coverage/",
      ".tools/",
      "reports/",
      "bench/results/",
      "dist/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-new": "off",
      // No hidden imports (issue 14): a module is loaded by a path the reader and the import graph can see.
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.name='require'][arguments.0.type!='Literal']",
          message: "require() of a computed path hides an import: import the module (or pass it in).",
        },
        {
          selector: "ImportExpression[source.type!='Literal']",
          message: "import() of a computed path hides an import: import the module (or pass it in).",
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    languageOptions: {
      globals: {
        module: "writable",
        require: "readonly",
        __dirname: "readonly",
        process: "readonly",
        console: "readonly",
        performance: "readonly",
        SharedArrayBuffer: "readonly",
        Atomics: "readonly",
      },
    },
  },
);
