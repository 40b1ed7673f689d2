// Builds what the browser loads: the design system's CSS (compiled from its Sass so that no
// font or image comes from another host), its JavaScript and its images, into build/assets.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "assets");
const nhsuk = join(root, "node_modules", "nhsuk-frontend", "dist", "nhsuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const css = sass.compile(join(root, "frontend", "scss", "main.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "main.css"), css.css);

cpSync(join(nhsuk, "nhsuk-frontend.min.js"), join(out, "js", "nhsuk-frontend.min.js"));
cpSync(join(root, "frontend", "js"), join(out, "js"), { recursive: true });
cpSync(join(nhsuk, "assets"), join(out, "nhsuk"), { recursive: true });
// The browser tests run axe-core from the service's own files, like any other script.
cpSync(join(root, "node_modules", "axe-core", "axe.min.js"), join(root, "build", "axe.min.js"));

console.log(`Built ${css.css.length} bytes of CSS into ${out}`);
