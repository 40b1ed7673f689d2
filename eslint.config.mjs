// ESLint for the service's own JavaScript: the browser's components, and the Node scripts that
// build and test them.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["build/", "node_modules/", ".venv/", "var/"] },
  js.configs.recommended,
  {
    files: ["frontend/js/**/*.mjs"],
    languageOptions: {
      // Sent to patients' phones as written, with no build step: ES2021 still runs on the
      // older phones (no class fields, which Safari before 14.1 cannot read).
      ecmaVersion: 2021,
      globals: globals.browser,
    },
  },
  {
    files: ["frontend/build.mjs", "frontend/tests/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { globals: globals.node },
  },
];
