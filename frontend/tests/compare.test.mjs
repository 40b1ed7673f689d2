// The compare page with JavaScript: what a clinician sees as they zoom, move and fade two photos
// of the same problem.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";

import { Compare } from "../js/components/compare.mjs";
import { openPage, visibleText } from "./page.mjs";

let page;
let root;

beforeEach(() => {
  page = openPage("compare.html");
  root = page.document.querySelector('[data-module="app-compare"]');
  // jsdom lays nothing out: each photo's box is 400 by 300 pixels at the page's top left, and
  // the pointer is captured as a browser would.
  page.window.Element.prototype.getBoundingClientRect = () => ({
    left: 0,
    top: 0,
    width: 400,
    height: 300,
  });
  page.window.Element.prototype.setPointerCapture = () => {};
});

afterEach(() => page.close());

function start() {
  new Compare(root);
}

const images = () => [...root.querySelectorAll(".app-compare__image")];
const transforms = () => new Set(images().map((image) => image.style.transform));
const heard = () => root.querySelector("[role=status]").textContent;
const viewport = (name) =>
  [...root.querySelectorAll('[role="group"]')].find((v) => v.getAttribute("aria-label") === name);
const earlier = () => viewport("Earlier photo: Close-up of the forearm, 3 March 2026");

function button(name) {
  const found = [...root.querySelectorAll("button")].find((b) => visibleText(b) === name);
  assert.ok(found, `a "${name}" button`);
  return found;
}

function press(element, key, options = {}) {
  const event = new page.window.KeyboardEvent("keydown", {
    key,
    bubbles: true,
    cancelable: true,
    ...options,
  });
  return element.dispatchEvent(event);
}

function pointer(type, element, pointerId, clientX, clientY) {
  const event = new page.window.PointerEvent(type, { pointerId, clientX, clientY, bubbles: true });
  element.dispatchEvent(event);
}

describe("without JavaScript the page has", () => {
  test("no toolbar and no overlay, which need it to do anything", () => {
    assert.equal(root.querySelectorAll("button, input").length, 0);
    assert.equal(root.querySelectorAll('[tabindex], [role="group"]').length, 0);
  });
});

describe("once started", () => {
  beforeEach(start);

  test("the toolbar and the overlay take the place of their templates", () => {
    assert.equal(root.querySelectorAll("template").length, 0);
    for (const name of ["Zoom in", "Zoom out", "Reset zoom"]) {
      assert.equal(button(name).classList.contains("nhsuk-button--secondary"), true);
    }
    const slider = page.document.getElementById("overlay-amount");
    assert.equal(slider.labels[0].textContent.trim(), "How much of the later photo to show");
    assert.equal(
      root.querySelector(".app-compare__toolbar").nextElementSibling.className,
      "app-compare__pair",
    );
  });

  test("each photo can be reached from the keyboard, named by its photo, with how to use it", () => {
    const names = [...root.querySelectorAll('[role="group"]')].map((v) =>
      v.getAttribute("aria-label"),
    );
    assert.deepEqual(names, [
      "Earlier photo: Close-up of the forearm, 3 March 2026",
      "Later photo: Close-up of the forearm, 17 March 2026",
      "Later photo, on top: Close-up of the forearm, 17 March 2026",
    ]);
    for (const group of root.querySelectorAll('[role="group"]')) {
      assert.equal(group.tabIndex, 0);
      const hint = page.document.getElementById(group.getAttribute("aria-describedby"));
      assert.match(hint.textContent, /use \+ and - to zoom and the arrow keys to move/);
    }
  });

  test("the later photo shows half over the earlier one to begin with", () => {
    const top = root.querySelector(".app-compare__image--top");
    assert.equal(top.style.opacity, "0.5");
    const slider = page.document.getElementById("overlay-amount");
    assert.equal(slider.getAttribute("aria-valuetext"), "50% of the later photo");
  });

  test("the slider fades the later photo in and out, and says how much shows", () => {
    const slider = page.document.getElementById("overlay-amount");
    slider.value = "80";
    slider.dispatchEvent(new page.window.Event("input", { bubbles: true }));

    assert.equal(root.querySelector(".app-compare__image--top").style.opacity, "0.8");
    assert.equal(slider.getAttribute("aria-valuetext"), "80% of the later photo");
  });

  test("Zoom in and Zoom out move both photos and the overlay alike, and say the zoom", () => {
    assert.deepEqual(transforms(), new Set(["translate(0%, 0%) scale(1)"]));

    button("Zoom in").click();
    assert.deepEqual(transforms(), new Set(["translate(-25%, -25%) scale(1.5)"]));
    assert.equal(root.dataset.zoom, "150");
    assert.equal(heard(), "Zoom 150%");

    button("Zoom out").click();
    button("Zoom out").click();
    assert.deepEqual(
      transforms(),
      new Set(["translate(0%, 0%) scale(1)"]),
      "no smaller than whole",
    );
    assert.equal(heard(), "Zoom 100%");
  });

  test("the keyboard zooms and moves the photos, and 0 puts them back", () => {
    earlier().focus();
    assert.equal(press(earlier(), "+"), false, "the key does not also scroll the page");
    press(earlier(), "+");
    assert.equal(root.dataset.zoom, "225");
    press(earlier(), "ArrowRight");
    // Zoomed about the middle, then moved right by a tenth of the photo (as the browser test).
    assert.deepEqual(transforms(), new Set(["translate(-72.5%, -62.5%) scale(2.25)"]));

    press(earlier(), "0");
    assert.deepEqual(transforms(), new Set(["translate(0%, 0%) scale(1)"]));
    assert.equal(heard(), "Zoom 100%");
  });

  test("the browser's own shortcuts are left alone", () => {
    assert.equal(press(earlier(), "+", { ctrlKey: true }), true);
    assert.equal(press(earlier(), "-", { metaKey: true }), true);
    assert.equal(root.dataset.zoom, "100");
  });

  test("a photo cannot be moved off its box", () => {
    press(earlier(), "ArrowLeft");
    press(earlier(), "ArrowUp");
    assert.deepEqual(transforms(), new Set(["translate(0%, 0%) scale(1)"]));
  });

  test("the mouse wheel zooms about the pointer, quietly", () => {
    const wheel = new page.window.WheelEvent("wheel", {
      deltaY: -100,
      clientX: 400,
      clientY: 300,
      cancelable: true,
    });
    assert.equal(earlier().dispatchEvent(wheel), false, "the page does not scroll");
    // The bottom right corner stays where it was.
    assert.deepEqual(transforms(), new Set(["translate(-20%, -20%) scale(1.2)"]));
    assert.equal(heard(), "");
  });

  test("dragging moves both photos", () => {
    button("Zoom in").click();
    pointer("pointerdown", earlier(), 1, 200, 150);
    pointer("pointermove", earlier(), 1, 160, 150);
    pointer("pointerup", earlier(), 1, 160, 150);
    pointer("pointermove", earlier(), 1, 100, 150); // let go: no longer moves them

    assert.deepEqual(transforms(), new Set(["translate(-35%, -25%) scale(1.5)"]));
  });

  test("pinching zooms about the middle of the two fingers", () => {
    pointer("pointerdown", earlier(), 1, 100, 150);
    pointer("pointerdown", earlier(), 2, 300, 150);
    pointer("pointermove", earlier(), 2, 500, 150);

    assert.deepEqual(transforms(), new Set(["translate(-75%, -50%) scale(2)"]));
    assert.equal(root.dataset.zoom, "200");
  });
});

describe("turning a photo", () => {
  beforeEach(start);

  const FIRST = "00000000-0000-0000-0000-000000000001";
  const SECOND = "00000000-0000-0000-0000-000000000002";
  const turnLink = (which, step) =>
    root.querySelector(`[data-compare-rotate="${which}"][data-compare-turn="${step}"]`);
  const photos = (which) => [...root.querySelectorAll(`img[data-compare-photo="${which}"]`)];
  const shape = (image) => `${image.getAttribute("width")}x${image.getAttribute("height")}`;
  const words = (which) => root.querySelector(`[data-compare-turned="${which}"]`).textContent;

  function click(link) {
    const event = new page.window.MouseEvent("click", { bubbles: true, cancelable: true });
    return link.dispatchEvent(event);
  }

  test("turns it in place, in the pair and the overlay, and says so", () => {
    assert.equal(click(turnLink("earlier", 90)), false, "the page does not load again");

    for (const image of photos("earlier")) {
      assert.equal(image.getAttribute("src"), `/record/photos/${FIRST}/image?rotate=90`);
      assert.equal(shape(image), "600x800", "a landscape photo turned a quarter is portrait");
    }
    for (const image of photos("later")) {
      assert.equal(image.getAttribute("src"), `/record/photos/${SECOND}/image`);
      assert.equal(shape(image), "800x600");
    }
    assert.equal(photos("earlier").length, 2);
    assert.match(words("earlier"), /^Rotated 90° clockwise to view/);
    assert.equal(words("later"), "");
    assert.match(heard(), /^Earlier photo: Rotated 90° clockwise to view/);
  });

  test("keeps the page's address and every link in step, so a reload shows the same", () => {
    click(turnLink("earlier", 90));

    assert.equal(page.window.location.search, `?a=${FIRST}&b=${SECOND}&rotate_earlier=90`);
    assert.equal(
      turnLink("earlier", 90).getAttribute("href"),
      `?a=${FIRST}&b=${SECOND}&rotate_earlier=180`,
    );
    assert.equal(turnLink("earlier", -90).getAttribute("href"), `?a=${FIRST}&b=${SECOND}`);
    assert.equal(
      turnLink("later", 90).getAttribute("href"),
      `?a=${FIRST}&b=${SECOND}&rotate_earlier=90&rotate_later=90`,
    );
  });

  test("turning back shows the photo as it was sent", () => {
    click(turnLink("later", -90));
    assert.equal(
      photos("later")[0].getAttribute("src"),
      `/record/photos/${SECOND}/image?rotate=270`,
    );
    click(turnLink("later", 90));

    assert.equal(photos("later")[0].getAttribute("src"), `/record/photos/${SECOND}/image`);
    assert.equal(shape(photos("later")[0]), "800x600");
    assert.equal(words("later"), "");
    assert.equal(heard(), "Later photo: Shown the way it was sent.");
    assert.equal(page.window.location.search, `?a=${FIRST}&b=${SECOND}`);
  });

  test("a half turn keeps the photo's shape, and the zoom stays", () => {
    button("Zoom in").click();
    click(turnLink("earlier", 90));
    click(turnLink("earlier", 90));

    assert.equal(
      photos("earlier")[0].getAttribute("src"),
      `/record/photos/${FIRST}/image?rotate=180`,
    );
    assert.equal(shape(photos("earlier")[0]), "800x600");
    assert.equal(root.dataset.zoom, "150");
  });
});

describe("photos taken differently", () => {
  test("are compared side by side, with no overlay", () => {
    root.querySelector('template[data-app-template="overlay"]').remove();
    start();

    assert.equal(page.document.getElementById("overlay-amount"), null);
    assert.equal(root.querySelectorAll('[role="group"]').length, 2);
    button("Zoom in").click();
    assert.deepEqual(transforms(), new Set(["translate(-25%, -25%) scale(1.5)"]));
  });
});
