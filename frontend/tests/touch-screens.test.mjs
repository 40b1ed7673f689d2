// The design system's file chooser on a touch screen: no "or drop file", as nothing can be
// dropped there. (tests/browser/test_patient_pages.py sees the words in a real browser.)

import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import { withoutDropOnTouchScreens } from "../js/touch-screens.mjs";
import { openPage } from "./page.mjs";

let page;

beforeEach(() => {
  page = openPage("photo-upload.html", { url: "https://surgery.test/p/photos/" });
});

afterEach(() => page.close());

const pointer = (kind) => (query) => ({ matches: query === `(pointer: ${kind})` });
const dropWords = () =>
  [...page.document.querySelectorAll('[data-module="nhsuk-file-upload"]')].map((chooser) =>
    chooser.getAttribute("data-i18n.drop-instruction"),
  );

test("a finger for a pointer: each chooser is given no words for dropping a file", () => {
  withoutDropOnTouchScreens(page.document, pointer("coarse"));
  const words = dropWords();
  assert.ok(words.length > 1);
  assert.deepEqual(new Set(words), new Set([""]));
});

test("a mouse: each chooser keeps the design system's own words", () => {
  withoutDropOnTouchScreens(page.document, pointer("fine"));
  assert.deepEqual(new Set(dropWords()), new Set([null]));
});
