// Starts the NHS design system's components. Pages work without it; it only enhances them.
import { initAll } from "./nhsuk-frontend.min.js";

initAll();
