// The one script every page loads. It starts the design system's components, then ours, each
// on the elements whose data-module names it. Pages work without it; it only enhances them.
import { createAll, initAll } from "./nhsuk-frontend.min.js";
import { Compare } from "./components/compare.mjs";
import { PhotoUpload } from "./components/photo-upload.mjs";
import { withoutDropOnTouchScreens } from "./touch-screens.mjs";

withoutDropOnTouchScreens();
initAll();
for (const Component of [PhotoUpload, Compare]) {
  createAll(Component);
}
