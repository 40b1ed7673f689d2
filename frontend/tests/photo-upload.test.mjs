// The patient's "Choose your photos" form with JavaScript: what the patient sees and hears as
// each photo uploads, is checked, fails, is tried again, replaced, sent anyway or removed.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";

import { PhotoUpload } from "../js/components/photo-upload.mjs";
import { choosePhoto, openPage, photoFile, settle, visibleText } from "./page.mjs";

// What the service answers, in its own words (photos/quality.py, photos/pipeline.py).
const BLURRY = {
  code: "blurry",
  title: "This photo looks blurry",
  what_to_do: "Hold the phone steady, tap the screen on the problem to focus, and take it again.",
};
const TOO_DARK = {
  code: "too_dark",
  title: "This photo looks too dark",
  what_to_do: "Move somewhere brighter, such as near a window in daylight, and take it again.",
};
const ANIMATED = "This is a moving image. Send a still photo instead.";

function kept(id, problems = []) {
  const photo = { id, number: 1, label: "where", width: 4032, height: 3024, problems };
  return { photo: { ...photo, remove_url: `/p/photos/${id}/remove/` }, free_slots: 4 };
}

let page;
let form;

beforeEach(() => {
  page = openPage("photo-upload.html", { url: "https://surgery.test/p/photos/" });
  form = page.document.querySelector('[data-module="app-photo-upload"]');
  new PhotoUpload(form);
});

afterEach(() => page.close());

const slot = (number) => form.querySelector(`[data-photo-slot="${number}"]`);
const statusOf = (number) => slot(number).querySelector("[data-app-photo-status]");
const heard = () => form.querySelector("[aria-live]").textContent;
const lastRequest = () => page.requests.at(-1);

function buttonIn(element, name) {
  const found = [...element.querySelectorAll("button")].filter((b) => visibleText(b) === name);
  assert.equal(found.length, 1, `one "${name}" button in ${visibleText(element)}`);
  return found[0];
}

async function choose(number, file = photoFile(page.window)) {
  choosePhoto(slot(number).querySelector('input[type="file"]'), file);
  await settle();
  return file;
}

async function answer(request, status, json) {
  request.answer(status, json);
  await settle();
}

function continueButton() {
  return [...form.querySelectorAll("button")].find((b) => visibleText(b) === "Continue");
}

// The browser's own: a submit event that a handler may cancel.
function pressContinue() {
  const event = new page.window.SubmitEvent("submit", {
    cancelable: true,
    submitter: continueButton(),
  });
  return form.dispatchEvent(event);
}

describe("choosing a photo", () => {
  test("sends it at once, with the form's token, its label and its place in the list", async () => {
    const file = await choose(2, photoFile(page.window, "arm.jpg"));

    assert.equal(page.requests.length, 1);
    const request = lastRequest();
    assert.equal(request.method, "POST");
    assert.equal(request.url, "/p/photos/add/");
    assert.equal(request.headers.Accept, "application/json");
    assert.equal(request.body.get("photo"), file);
    assert.equal(request.body.get("label"), "close_up");
    assert.equal(request.body.get("position"), "2");
    assert.equal(request.body.get("csrfmiddlewaretoken"), "csrf-token-for-the-tests");
    assert.equal(request.body.has("replaces"), false);
  });

  test("shows a preview, a progress bar and how far it has got", async () => {
    await choose(1, photoFile(page.window, "rash.jpg"));

    const preview = statusOf(1).querySelector("img");
    assert.equal(preview.alt, "Preview of photo 1");
    assert.equal(preview.src, "blob:https://surgery.test/1");
    assert.equal(page.previews.made[0].name, "rash.jpg");
    const bar = statusOf(1).querySelector("progress");
    const label = statusOf(1).querySelector(`label[for="${bar.id}"]`);
    assert.equal(visibleText(label), "Uploading photo 1");
    assert.equal(heard(), "Uploading photo 1.");

    lastRequest().progress(30, 100);
    assert.equal(bar.value, 30);
    assert.equal(visibleText(label), "Uploading photo 1: 30%");
    assert.equal(heard(), "Photo 1: 25% uploaded");

    lastRequest().progress(60, 100);
    assert.equal(heard(), "Photo 1: 50% uploaded");
    lastRequest().progress(100, 100);
    assert.equal(visibleText(label), "Checking photo 1");
  });

  test("says so when the photo has arrived and the checks found nothing", async () => {
    await choose(1);
    await answer(lastRequest(), 201, kept("p1"));

    assert.equal(statusOf(1).querySelector("progress"), null);
    assert.equal(
      visibleText(statusOf(1)),
      "Photo 1 uploaded. Remove this photo Replace this photo",
    );
    assert.equal(heard(), "Photo 1 uploaded.");
    assert.ok(statusOf(1).querySelector("img"), "the preview stays");
  });

  test("a photo the checks have advice for gets the design system's warning callout", async () => {
    await choose(2);
    await answer(lastRequest(), 201, kept("p2", [BLURRY, TOO_DARK]));

    const callout = statusOf(2).querySelector(".nhsuk-card--warning");
    assert.ok(callout, "a warning callout");
    const heading = callout.querySelector("h2");
    assert.equal(
      heading.textContent.replace(/\s+/g, " ").trim(),
      "Photo 2: This photo looks blurry",
    );
    assert.deepEqual(
      [...callout.querySelectorAll("p")].map((p) => p.textContent),
      [BLURRY.what_to_do, `${TOO_DARK.title}. ${TOO_DARK.what_to_do}`],
    );
    buttonIn(callout, "Replace this photo");
    buttonIn(callout, "Send it anyway");
    buttonIn(statusOf(2), "Remove this photo");
    assert.equal(
      heard(),
      `Photo 2: This photo looks blurry. ${BLURRY.what_to_do} ` +
        `${TOO_DARK.title}. ${TOO_DARK.what_to_do}`,
    );
    assert.equal(statusOf(2).classList.contains("app-photo-status--error"), false);
  });

  test("a file bigger than the service takes is not sent, and the page says why", async () => {
    await choose(1, photoFile(page.window, "huge.jpg", { size: 20 * 1024 * 1024 + 1 }));

    assert.equal(page.requests.length, 0);
    const error = statusOf(1).querySelector(".nhsuk-error-message");
    assert.equal(visibleText(error), form.dataset.tooBigMessage);
    assert.match(heard(), /^Error: Photo 1 was not added\. This photo is too big\./);
    assert.ok(statusOf(1).classList.contains("app-photo-status--error"));
  });

  test("a photo the service turns down shows the service's reason", async () => {
    await choose(3, photoFile(page.window, "moving.gif", { type: "image/gif" }));
    await answer(lastRequest(), 400, { error: ANIMATED });

    assert.equal(visibleText(statusOf(3).querySelector(".nhsuk-error-message")), ANIMATED);
    assert.equal(heard(), `Error: Photo 3 was not added. ${ANIMATED}`);
    buttonIn(statusOf(3), "Remove this photo");
  });

  test("the words the patient or the service sends are shown as words, never as markup", async () => {
    const name = "<img src=x onerror=alert(1)>%{number}.heic";
    await choose(1, photoFile(page.window, name));
    statusOf(1).querySelector("img").dispatchEvent(new page.window.Event("error"));
    await answer(lastRequest(), 400, { error: "<b>Not %{number}</b>" });

    assert.equal(statusOf(1).querySelectorAll("img, b").length, 0);
    assert.equal(
      visibleText(statusOf(1)),
      `${name} (this browser cannot show a preview of it) <b>Not %{number}</b> Remove this photo`,
    );
  });

  test("choosing again while a photo uploads sends only the new one", async () => {
    await choose(1, photoFile(page.window, "first.jpg"));
    const first = lastRequest();
    await choose(1, photoFile(page.window, "second.jpg"));

    assert.ok(first.aborted, "the first upload is stopped");
    assert.equal(visibleText(statusOf(1).querySelector("label")), "Uploading photo 1");
    assert.equal(heard(), "Uploading photo 1.", "not that the first did not upload");
    await answer(lastRequest(), 201, kept("p1"));
    assert.equal(
      visibleText(statusOf(1)),
      "Photo 1 uploaded. Remove this photo Replace this photo",
    );
    assert.equal(page.previews.made.at(-1).name, "second.jpg");
    assert.deepEqual(page.previews.revoked, ["blob:https://surgery.test/1"]);
  });
});

describe("a browser that cannot show the photo", () => {
  test("names the file instead of a preview, as for a phone's HEIC photos", async () => {
    await choose(1, photoFile(page.window, "IMG_0042.HEIC", { type: "image/heic" }));
    statusOf(1).querySelector("img").dispatchEvent(new page.window.Event("error"));

    assert.equal(statusOf(1).querySelector("img"), null);
    assert.equal(
      visibleText(statusOf(1).querySelector("p")),
      "IMG_0042.HEIC (this browser cannot show a preview of it)",
    );
    await answer(lastRequest(), 201, kept("p1"));
    assert.match(visibleText(statusOf(1)), /^IMG_0042\.HEIC \(this browser/);
  });
});

describe("the advice", () => {
  beforeEach(async () => {
    await choose(2, photoFile(page.window, "shaky.jpg"));
    await answer(lastRequest(), 201, kept("p2", [BLURRY]));
  });

  test("Send it anyway keeps the photo as it is and moves focus to say so", () => {
    buttonIn(statusOf(2), "Send it anyway").click();

    assert.equal(statusOf(2).querySelector(".nhsuk-card--warning"), null);
    assert.equal(
      visibleText(statusOf(2)),
      "You chose to send photo 2 as it is. Remove this photo Replace this photo",
    );
    assert.equal(page.document.activeElement, statusOf(2));
    assert.equal(heard(), "You chose to send photo 2 as it is.");
    assert.equal(page.requests.length, 1, "nothing more is sent");
  });

  test("Replace this photo opens the chooser, and the new photo takes the old one's place", async () => {
    const input = slot(2).querySelector('input[type="file"]');
    let chooserOpened = false;
    input.addEventListener("click", () => (chooserOpened = true));

    buttonIn(statusOf(2).querySelector(".nhsuk-card--warning"), "Replace this photo").click();
    assert.ok(chooserOpened);

    await choose(2, photoFile(page.window, "steady.jpg"));
    assert.equal(lastRequest().body.get("replaces"), "p2");
    assert.equal(lastRequest().body.get("photo").name, "steady.jpg");
    await answer(lastRequest(), 201, kept("p3"));
    assert.equal(
      visibleText(statusOf(2)),
      "Photo 2 uploaded. Remove this photo Replace this photo",
    );
  });
});

describe("a weak signal", () => {
  test("a photo that did not upload can be tried again on its own", async () => {
    await choose(1, photoFile(page.window, "rash.jpg"));
    await answer(lastRequest(), 201, kept("p1"));
    const file = await choose(2, photoFile(page.window, "arm.jpg"));
    lastRequest().loseConnection();
    await settle();

    const error = statusOf(2).querySelector(".nhsuk-error-message");
    assert.equal(
      visibleText(error),
      "Photo 2 did not upload. Check you have a signal, then try again.",
    );
    assert.equal(
      heard(),
      "Error: Photo 2 did not upload. Check you have a signal, then try again.",
    );
    assert.ok(statusOf(2).classList.contains("app-photo-status--error"));
    const tryAgain = buttonIn(statusOf(2), "Try again");
    assert.equal(tryAgain.classList.contains("nhsuk-button--secondary"), false, "the main action");

    tryAgain.click();
    await settle();
    assert.equal(page.requests.length, 3);
    assert.equal(lastRequest().body.get("photo"), file, "the same file, from memory");
    await answer(lastRequest(), 201, kept("p2"));
    assert.equal(
      visibleText(statusOf(2)),
      "Photo 2 uploaded. Remove this photo Replace this photo",
    );
    assert.equal(
      visibleText(statusOf(1)),
      "Photo 1 uploaded. Remove this photo Replace this photo",
    );
    assert.equal(statusOf(2).classList.contains("app-photo-status--error"), false);
  });

  test("an upload with no progress for 30 seconds is given up, so it can be tried again", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    await choose(1);
    lastRequest().progress(10, 100);
    t.mock.timers.tick(29_000);
    lastRequest().progress(20, 100); // still moving: it waits on
    t.mock.timers.tick(29_000);
    assert.ok(!lastRequest().aborted);

    t.mock.timers.tick(1_001);
    await settle();
    assert.ok(lastRequest().aborted);
    buttonIn(statusOf(1), "Try again");
  });
});

describe("removing a photo", () => {
  test("asks the service to remove it, empties the chooser and says so", async () => {
    await choose(1);
    await answer(lastRequest(), 201, kept("p1"));
    buttonIn(statusOf(1), "Remove this photo").click();
    await settle();

    assert.equal(lastRequest().url, "/p/photos/p1/remove/");
    assert.equal(lastRequest().body.get("csrfmiddlewaretoken"), "csrf-token-for-the-tests");
    await answer(lastRequest(), 200, { removed: true });

    assert.equal(statusOf(1).childElementCount, 0);
    assert.equal(slot(1).querySelector('input[type="file"]').value, "");
    assert.equal(heard(), "Photo 1 removed.");
  });

  test("says when it was not removed, and keeps the photo", async () => {
    await choose(1);
    await answer(lastRequest(), 201, kept("p1"));
    buttonIn(statusOf(1), "Remove this photo").click();
    await settle();
    lastRequest().loseConnection();
    await settle();

    assert.equal(
      visibleText(statusOf(1).querySelector(".nhsuk-error-message")),
      "Photo 1 was not removed. Check you have a signal, then try again.",
    );
    buttonIn(statusOf(1), "Remove this photo");
    assert.ok(statusOf(1).querySelector("img"), "the preview stays");
  });

  test("a photo the service turned down goes without asking it", async () => {
    await choose(1);
    await answer(lastRequest(), 400, { error: ANIMATED });
    buttonIn(statusOf(1), "Remove this photo").click();
    await settle();

    assert.equal(page.requests.length, 1);
    assert.equal(statusOf(1).childElementCount, 0);
    assert.equal(heard(), "Photo 1 removed.");
  });
});

describe("Continue", () => {
  test("waits while a photo is still uploading, and says so above the button", async () => {
    await choose(1);
    await choose(2);
    await answer(page.requests[0], 201, kept("p1"));

    assert.equal(pressContinue(), false, "the form is not sent");
    const message = form.querySelector("[data-app-not-ready]");
    assert.equal(message.hidden, false);
    assert.equal(message.nextElementSibling, continueButton());
    assert.equal(visibleText(message), "Wait for photo 2 to finish uploading, then continue.");
    assert.equal(heard(), "Error: Wait for photo 2 to finish uploading, then continue.");
    assert.equal(page.document.activeElement, statusOf(2));

    await answer(page.requests[1], 201, kept("p2"));
    assert.equal(message.hidden, true, "the message goes once things move on");
    assert.equal(pressContinue(), true);
  });

  test("will not leave behind a photo that did not upload", async () => {
    await choose(1);
    lastRequest().loseConnection();
    await settle();

    assert.equal(pressContinue(), false);
    assert.equal(
      visibleText(form.querySelector("[data-app-not-ready]")),
      "Photo 1 has not been added. Try again or remove it, then continue.",
    );
  });

  test("sends only each photo's label and the note: the photos are there already", async () => {
    await choose(1);
    await answer(lastRequest(), 201, kept("p1"));
    await choose(3);
    await answer(lastRequest(), 201, kept("p3"));
    slot(3).querySelector('input[type="radio"][value="where"]').checked = true;

    assert.equal(pressContinue(), true);
    const sent = new page.window.FormData(form);
    assert.deepEqual(
      [...sent.keys()].filter((name) => name.startsWith("photo_")),
      [],
      "no photo is sent twice",
    );
    assert.equal(sent.get("label_of_p1"), "where");
    assert.equal(sent.get("label_of_p3"), "where");
    assert.equal(sent.has("note"), true);

    pressContinue(); // pressed twice: each label still goes once
    assert.deepEqual(new page.window.FormData(form).getAll("label_of_p1"), ["where"]);
  });
});

describe("starting", () => {
  test("a photo chosen before the script arrived is sent as soon as it starts", async () => {
    page.close();
    page = openPage("photo-upload.html", { url: "https://surgery.test/p/photos/" });
    form = page.document.querySelector('[data-module="app-photo-upload"]');
    const file = photoFile(page.window, "chosen-early.jpg");
    choosePhoto(slot(2).querySelector('input[type="file"]'), file); // nothing listens yet
    assert.equal(page.requests.length, 0);

    new PhotoUpload(form);
    await settle();

    assert.equal(page.requests.length, 1);
    assert.equal(lastRequest().body.get("photo"), file);
    assert.equal(lastRequest().body.get("position"), slot(2).dataset.position);
    assert.match(visibleText(statusOf(2)), /Uploading photo 2/);
  });

  test("starts once on a form: a second start would send every photo twice", () => {
    assert.throws(() => new PhotoUpload(form), /already started/);
  });

  test("needs the form that names it", () => {
    const other = page.document.createElement("form");
    assert.throws(() => new PhotoUpload(other), /data-module="app-photo-upload"/);
  });
});
