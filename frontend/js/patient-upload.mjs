// Enhances the patient's "Choose your photos" form when JavaScript runs.
//
// Each photo uploads on its own as soon as it is chosen, with its own progress bar, so the
// service can check it straight away and say if it looks blurry, too dark, too bright or too
// small while the patient can still take it again ("Replace this photo") or keep it ("Send it
// anyway"). A photo that does not upload on a weak signal can be tried again on its own, from
// the file still in memory. Continue then posts only the labels and the note: the photos are
// there already. A screen reader hears each step through one live region.
//
// Without JavaScript the same form posts every photo at once and the same advice appears on
// the next page, so nothing here is needed to send photos.

const form = document.querySelector('[data-module="app-photo-upload"]');
const STALLED_AFTER_MS = 30_000; // no progress for this long: give up and offer "Try again"

// --- Building the page ----------------------------------------------------------------------

function element(tag, properties = {}, children = []) {
  const made = Object.assign(document.createElement(tag), properties);
  made.append(...children);
  return made;
}

function button(text, onClick, { secondary = true } = {}) {
  const variant = secondary ? " nhsuk-button--secondary" : "";
  const made = element("button", {
    type: "button",
    className: `nhsuk-button nhsuk-button--small${variant}`,
    textContent: text,
  });
  made.addEventListener("click", onClick);
  return made;
}

function buttons(...items) {
  return element("div", { className: "nhsuk-button-group" }, items);
}

function errorMessage(text) {
  return element("p", { className: "nhsuk-error-message" }, [
    element("span", { className: "nhsuk-u-visually-hidden", textContent: "Error: " }),
    text,
  ]);
}

const liveRegion = element("div", { className: "nhsuk-u-visually-hidden" });
liveRegion.setAttribute("aria-live", "polite");
// Says why Continue did not go on; above the Continue button.
const notReadyMessage = element("div", { hidden: true });

function announce(text) {
  liveRegion.textContent = text;
}

// --- Talking to the service -------------------------------------------------------------------

// Posts `fields` with the form's CSRF token and resolves to {status, answer}: `answer` is the
// JSON the service sent (an `error` for a refusal), or null when no answer came (no signal,
// stalled, or cancelled through `signal`). XMLHttpRequest, because fetch cannot report how
// much of an upload has gone.
function post(url, fields, { onProgress, signal } = {}) {
  return new Promise((resolve) => {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined) {
        body.append(name, value);
      }
    }
    const request = new XMLHttpRequest();
    let stalled;
    const expectProgress = () => {
      clearTimeout(stalled);
      stalled = setTimeout(() => request.abort(), STALLED_AFTER_MS);
    };
    request.upload.addEventListener("progress", (event) => {
      expectProgress();
      if (onProgress && event.lengthComputable) {
        onProgress(Math.floor((event.loaded / event.total) * 100));
      }
    });
    request.upload.addEventListener("load", expectProgress); // now the service checks it
    request.addEventListener("loadend", () => {
      clearTimeout(stalled);
      const answer = typeof request.response === "object" ? request.response : null;
      resolve({ status: request.status, answer });
    });
    signal?.addEventListener("abort", () => request.abort());
    request.open("POST", url);
    request.responseType = "json";
    request.setRequestHeader("Accept", "application/json");
    expectProgress();
    request.send(body);
  });
}

// --- One photo of the form --------------------------------------------------------------------
// A slot's `file` is the file chosen in it; `photo` is what the service kept for it, and
// `photoFile` the file that was. They differ while a photo uploads, or after it failed.

function setUp(fieldset) {
  const slot = {
    fieldset,
    number: fieldset.dataset.photoSlot,
    input: fieldset.querySelector('input[type="file"]'),
    status: element("div", { className: "app-photo-status", tabIndex: -1 }),
    file: null,
    photo: null,
    photoFile: null,
    upload: null, // an AbortController for the upload under way
  };
  // Under the chooser, above "What does this photo show?"
  slot.input.closest(".nhsuk-form-group").after(slot.status);
  slot.input.addEventListener("change", () => {
    if (slot.input.files.length) {
      choose(slot, slot.input.files[0]);
    }
  });
  return slot;
}

function labelOf(slot) {
  return slot.fieldset.querySelector('input[type="radio"]:checked')?.value ?? "";
}

function choose(slot, file) {
  slot.upload?.abort(); // a photo chosen in this slot a moment ago, still on its way
  slot.upload = null;
  slot.file = file;
  if (file.size > Number(form.dataset.maxFileBytes)) {
    notAdded(slot, form.dataset.tooBigMessage);
  } else {
    upload(slot);
  }
}

async function upload(slot) {
  const upload = new AbortController();
  slot.upload = upload;
  const bar = element("progress", { max: 100, value: 0, id: `photo-${slot.number}-progress` });
  const words = element("label", { htmlFor: bar.id });
  words.textContent = `Uploading photo ${slot.number}`;
  show(slot, [element("div", { className: "app-photo-progress" }, [words, bar])]);
  announce(`Uploading photo ${slot.number}`);
  let told = 0;
  const onProgress = (percent) => {
    bar.value = percent;
    words.textContent = percent < 100
      ? `Uploading photo ${slot.number}: ${percent}%`
      : `Checking photo ${slot.number}`; // all sent: the service checks it now
    if (percent >= told + 25 && percent < 100) {
      told = percent - (percent % 25);
      announce(`Photo ${slot.number}: ${told}% uploaded`);
    }
  };
  const fields = {
    label: labelOf(slot),
    photo: slot.file,
    position: slot.fieldset.dataset.position, // uploads finish in any order; the list keeps this
    replaces: slot.photo?.id,
  };
  const { status, answer } = await post(form.dataset.addUrl, fields, {
    onProgress,
    signal: upload.signal,
  });
  if (slot.upload !== upload) {
    return; // another photo was chosen in this slot meanwhile
  }
  slot.upload = null;
  if (status === 201 && answer) {
    uploaded(slot, answer.photo);
  } else if (answer?.next) {
    window.location.assign(answer.next); // the session or the link has ended: that page says so
  } else if (answer?.error) {
    notAdded(slot, answer.error);
  } else {
    didNotUpload(slot);
  }
}

function uploaded(slot, photo) {
  slot.photo = photo;
  slot.photoFile = slot.file;
  const [first, ...others] = photo.problems;
  if (!first) {
    const done = `Photo ${slot.number} uploaded.`;
    show(slot, [element("p", { textContent: done }), removeOrReplace(slot)]);
    announce(done);
    return;
  }
  // What is wrong and what to do, as the pages without JavaScript say it (_chosen_photos.jinja).
  const advice = [first.what_to_do, ...others.map((p) => `${p.title}. ${p.what_to_do}`)];
  const whose = element("span", { className: "nhsuk-u-visually-hidden" });
  whose.textContent = `Photo ${slot.number}: `;
  // The design system's warning callout, as its warningCallout macro draws it.
  const callout = element("div", { className: "nhsuk-card nhsuk-card--warning app-photo-advice" }, [
    element("div", { className: "nhsuk-card__content" }, [
      element("h2", { className: "nhsuk-card__heading" }, [whose, first.title]),
      ...advice.map((text) => element("p", { textContent: text })),
      buttons(
        button("Replace this photo", () => slot.input.click()),
        button("Send it anyway", () => keepAnyway(slot)),
      ),
    ]),
  ]);
  show(slot, [callout, buttons(removeButton(slot))]);
  announce(`Photo ${slot.number} uploaded. ${first.title}. ${advice.join(" ")}`);
}

function keepAnyway(slot) {
  const kept = `You chose to send photo ${slot.number} as it is.`;
  show(slot, [element("p", { textContent: kept }), removeOrReplace(slot)]);
  slot.status.focus();
  announce(kept);
}

function notAdded(slot, why) {
  show(slot, [errorMessage(why), buttons(removeButton(slot))]);
  announce(`Photo ${slot.number} was not added. ${why}`);
}

function didNotUpload(slot) {
  const message = `Photo ${slot.number} did not upload. Check you have a signal, then try again.`;
  show(slot, [
    errorMessage(message),
    buttons(button("Try again", () => upload(slot), { secondary: false }), removeButton(slot)),
  ]);
  announce(message);
}

function removeOrReplace(slot) {
  // "Replace" opens the chooser at once (browsers open it only straight after a tap); the new
  // photo takes the old one's place when it arrives, so cancelling the chooser changes nothing.
  return buttons(removeButton(slot), button("Replace this photo", () => slot.input.click()));
}

function removeButton(slot) {
  return button("Remove this photo", async () => {
    if (slot.photo) {
      const { answer } = await post(slot.photo.remove_url, {});
      if (answer?.next) {
        window.location.assign(answer.next);
        return;
      }
      if (!answer) {
        const message = `Photo ${slot.number} was not removed. Check you have a signal, `
          + "then try again.";
        show(slot, [errorMessage(message), buttons(removeButton(slot))]);
        announce(message);
        return;
      }
    }
    Object.assign(slot, { file: null, photo: null, photoFile: null });
    slot.input.value = "";
    slot.input.dispatchEvent(new Event("change")); // the design system's chooser says so too
    show(slot, []);
    announce(`Photo ${slot.number} removed.`);
    // The design system's enhanced chooser is a button that took the input's id.
    document.getElementById(slot.input.id.replace(/-input$/, ""))?.focus();
  });
}

// What a slot shows under its chooser: a preview of the file chosen, then how it stands.
function show(slot, parts) {
  const hasError = parts.some((part) => part.classList.contains("nhsuk-error-message"));
  slot.status.classList.toggle("app-photo-status--error", hasError);
  slot.status.replaceChildren(...(slot.file ? [previewOf(slot)] : []), ...parts);
  notReadyMessage.hidden = true; // things have moved on since Continue last said why not
}

function previewOf(slot) {
  if (slot.preview?.file !== slot.file) {
    if (slot.preview) {
      URL.revokeObjectURL(slot.preview.url);
    }
    const file = slot.file;
    const url = URL.createObjectURL(file);
    const alt = `Preview of photo ${slot.number}`;
    const preview = { file, url, image: element("img", { className: "app-photo-preview", alt }) };
    // Most browsers cannot show a phone's HEIC photos: name the file instead.
    preview.image.addEventListener("error", () => {
      const words = element("p", { className: "nhsuk-body-s" });
      words.textContent = `${file.name} (this browser cannot show a preview of it)`;
      preview.image.replaceWith(words);
      preview.image = words;
    });
    preview.image.src = url;
    slot.preview = preview;
  }
  return slot.preview.image;
}

// --- The whole form ---------------------------------------------------------------------------

function notReady(slots) {
  for (const slot of slots) {
    if (slot.upload) {
      return [slot, `Wait for photo ${slot.number} to finish uploading, then continue.`];
    }
    if (slot.file && slot.file !== slot.photoFile) {
      const message = `Photo ${slot.number} has not been added. Try again or remove it, `;
      return [slot, `${message}then continue.`];
    }
  }
  return [null, ""];
}

if (form) {
  const slots = [...form.querySelectorAll("[data-photo-slot]")].map(setUp);
  form.querySelector(".nhsuk-button:not([type='button'])").before(notReadyMessage);
  form.append(liveRegion);

  form.addEventListener("submit", (event) => {
    const [slot, message] = notReady(slots);
    notReadyMessage.hidden = !slot;
    if (slot) {
      event.preventDefault();
      notReadyMessage.replaceChildren(errorMessage(message));
      announce(message);
      slot.status.focus();
      return;
    }
    // The photos are there already: only each one's label goes, by its id, with the note.
    for (const old of form.querySelectorAll(".app-photo-label")) {
      old.remove();
    }
    for (const slot of slots) {
      slot.input.removeAttribute("name");
    }
    for (const slot of slots.filter((s) => s.photo)) {
      const name = `label_of_${slot.photo.id}`;
      const value = labelOf(slot);
      form.append(element("input", { type: "hidden", className: "app-photo-label", name, value }));
    }
  });
}
