// The patient's "Choose your photos" form, enhanced.
//
// Each photo uploads on its own as soon as it is chosen, with its own progress bar, so the
// service can check it straight away and say if it looks blurry, too dark, too bright or too
// small while the patient can still take it again ("Replace this photo") or keep it ("Send it
// anyway"). A photo that does not upload on a weak signal can be tried again on its own, from
// the file still in memory. Continue then posts only the labels and the note: the photos are
// there already. A screen reader hears each step through one live region.
//
// Without JavaScript the same form posts every photo at once and the same advice appears on
// the next page, so nothing here is needed to send photos. What each step shows comes from the
// form's <template> elements (patient_upload/_photo_upload_templates.jinja).

import { Component } from "./component.mjs";
import { fill, render, spokenIn, templateIn } from "./template.mjs";

const STALLED_AFTER_MS = 30_000; // no progress for this long: give up and offer "Try again"

export class PhotoUpload extends Component {
  constructor(root) {
    super(root);
    this.liveRegion = root.querySelector("[data-app-live-region]");
    // Says why Continue did not go on; above the Continue button.
    this.notReadyMessage = root.querySelector("[data-app-not-ready]");
    this.slots = [...root.querySelectorAll("[data-photo-slot]")].map(
      (fieldset) => new PhotoSlot(this, fieldset),
    );
    root.addEventListener("submit", (event) => this.submit(event));
    // On a slow signal a patient may choose a photo before this script has arrived: take it as
    // if chosen now, and let the design system's chooser (started already) name it too.
    for (const slot of this.slots.filter((s) => s.input.files.length)) {
      slot.input.dispatchEvent(new Event("change"));
    }
  }

  announce(text) {
    this.liveRegion.textContent = text;
  }

  fromTemplate(name, values) {
    return render(templateIn(this.root, name), values);
  }

  // Posts `fields` with the form's CSRF token and resolves to {status, answer}: `answer` is the
  // JSON the service sent (an `error` for a refusal), or null when no answer came (no signal,
  // stalled, or cancelled through `signal`). XMLHttpRequest, because fetch cannot report how
  // much of an upload has gone.
  post(url, fields, { onProgress, signal } = {}) {
    return new Promise((resolve) => {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", this.root.elements.csrfmiddlewaretoken.value);
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

  // The first photo that Continue would leave behind, and the template that says why.
  notReady() {
    for (const slot of this.slots) {
      if (slot.uploading) {
        return [slot, "wait-for-upload"];
      }
      if (slot.file && slot.file !== slot.photoFile) {
        return [slot, "not-added-yet"];
      }
    }
    return [null, null];
  }

  submit(event) {
    const [waitingFor, why] = this.notReady();
    this.notReadyMessage.hidden = !waitingFor;
    if (waitingFor) {
      event.preventDefault();
      const message = this.fromTemplate(why, { number: waitingFor.number });
      this.announce(spokenIn(message));
      this.notReadyMessage.replaceChildren(message);
      waitingFor.status.focus();
      return;
    }
    // The photos are there already: only each one's label goes, by its id, with the note.
    for (const old of this.root.querySelectorAll(".app-photo-label")) {
      old.remove();
    }
    for (const slot of this.slots) {
      slot.input.removeAttribute("name");
    }
    for (const slot of this.slots.filter((s) => s.photo)) {
      const label = Object.assign(document.createElement("input"), {
        type: "hidden",
        className: "app-photo-label",
        name: `label_of_${slot.photo.id}`,
        value: slot.label,
      });
      this.root.append(label);
    }
  }
}

// One photo of the form. `file` is the file chosen in it; `photo` is what the service kept for
// it, and `photoFile` the file that was. They differ while a photo uploads, or after it failed.
class PhotoSlot {
  constructor(form, fieldset) {
    this.form = form;
    this.fieldset = fieldset;
    this.number = fieldset.dataset.photoSlot;
    this.input = fieldset.querySelector('input[type="file"]');
    // Under the chooser, above "What does this photo show?"
    this.status = fieldset.querySelector("[data-app-photo-status]");
    this.file = null;
    this.photo = null;
    this.photoFile = null;
    this.uploading = null; // an AbortController for the upload under way
    this.preview = null;
    // What the buttons in the templates do, by their data-app-action.
    this.actions = {
      // "Replace" opens the chooser at once (browsers open it only straight after a tap); the
      // new photo takes the old one's place when it arrives, so cancelling changes nothing.
      replace: () => this.input.click(),
      "send-anyway": () => this.sendAnyway(),
      "try-again": () => this.upload(),
      remove: () => this.remove(),
    };
    this.input.addEventListener("change", () => {
      if (this.input.files.length) {
        this.choose(this.input.files[0]);
      }
    });
  }

  get label() {
    return this.fieldset.querySelector('input[type="radio"]:checked')?.value ?? "";
  }

  fromTemplate(name, values = {}) {
    const content = this.form.fromTemplate(name, { number: this.number, ...values });
    for (const button of content.querySelectorAll("[data-app-action]")) {
      button.addEventListener("click", () => this.actions[button.dataset.appAction]());
    }
    return content;
  }

  // Shows `content` under the chooser, after a preview of the file chosen, and says it aloud.
  show(content) {
    const words = content ? spokenIn(content) : "";
    const hasError = Boolean(content?.querySelector(".nhsuk-error-message"));
    this.status.classList.toggle("app-photo-status--error", hasError);
    this.status.replaceChildren(...(this.file ? [this.previewOf(this.file)] : []));
    if (content) {
      this.status.append(content);
    }
    this.form.notReadyMessage.hidden = true; // things have moved on since Continue said why not
    if (words) {
      this.form.announce(words);
    }
  }

  choose(file) {
    this.uploading?.abort(); // a photo chosen in this slot a moment ago, still on its way
    this.uploading = null;
    this.file = file;
    if (file.size > Number(this.form.root.dataset.maxFileBytes)) {
      this.notAdded(this.form.root.dataset.tooBigMessage);
    } else {
      this.upload();
    }
  }

  async upload() {
    const uploading = new AbortController();
    this.uploading = uploading;
    const progress = this.fromTemplate("uploading");
    const bar = progress.querySelector("progress");
    const words = progress.querySelector("label");
    const { percentWords, checkingWords, spokenWords } =
      progress.querySelector("[data-app-progress]").dataset;
    this.show(progress);
    let told = 0;
    const onProgress = (percent) => {
      bar.value = percent;
      // All sent: the service checks it now.
      words.textContent = percent < 100 ? fill(percentWords, { percent }) : checkingWords;
      if (percent >= told + 25 && percent < 100) {
        told = percent - (percent % 25);
        this.form.announce(fill(spokenWords, { percent: told }));
      }
    };
    const fields = {
      label: this.label,
      photo: this.file,
      position: this.fieldset.dataset.position, // uploads finish in any order; this keeps it
      replaces: this.photo?.id,
    };
    const { status, answer } = await this.form.post(this.form.root.dataset.addUrl, fields, {
      onProgress,
      signal: uploading.signal,
    });
    if (this.uploading !== uploading) {
      return; // another photo was chosen in this slot meanwhile
    }
    this.uploading = null;
    if (status === 201 && answer) {
      this.uploaded(answer.photo);
    } else if (answer?.next) {
      window.location.assign(answer.next); // the session or the link has ended: that page says so
    } else if (answer?.error) {
      this.notAdded(answer.error);
    } else {
      this.show(this.fromTemplate("did-not-upload"));
    }
  }

  uploaded(photo) {
    this.photo = photo;
    this.photoFile = this.file;
    const [first, ...others] = photo.problems;
    if (!first) {
      this.show(this.fromTemplate("uploaded"));
      return;
    }
    // What is wrong and what to do, as the pages without JavaScript say it (_chosen_photos.jinja).
    const advice = this.fromTemplate("advice", { title: first.title });
    const paragraph = advice.querySelector("[data-app-advice]");
    paragraph.replaceWith(
      ...[first.what_to_do, ...others.map((p) => `${p.title}. ${p.what_to_do}`)].map((text) => {
        const copy = paragraph.cloneNode(false);
        copy.textContent = text;
        return copy;
      }),
    );
    this.show(advice);
  }

  sendAnyway() {
    this.show(this.fromTemplate("sent-anyway"));
    this.status.focus();
  }

  notAdded(reason) {
    this.show(this.fromTemplate("not-added", { reason }));
  }

  async remove() {
    if (this.photo) {
      const { answer } = await this.form.post(this.photo.remove_url, {});
      if (answer?.next) {
        window.location.assign(answer.next);
        return;
      }
      if (!answer) {
        this.show(this.fromTemplate("not-removed"));
        return;
      }
    }
    Object.assign(this, { file: null, photo: null, photoFile: null });
    this.input.value = "";
    this.input.dispatchEvent(new Event("change")); // the design system's chooser says so too
    this.show(null);
    this.form.announce(fill(this.form.root.dataset.removedWords, { number: this.number }));
    // The design system's enhanced chooser is a button that took the input's id.
    document.getElementById(this.input.id.replace(/-input$/, ""))?.focus();
  }

  previewOf(file) {
    if (this.preview?.file !== file) {
      if (this.preview) {
        URL.revokeObjectURL(this.preview.url);
      }
      const preview = { file, url: URL.createObjectURL(file) };
      preview.element = this.fromTemplate("preview").firstElementChild;
      // Most browsers cannot show a phone's HEIC photos: name the file instead.
      preview.element.addEventListener("error", () => {
        const named = this.fromTemplate("no-preview", { name: file.name }).firstElementChild;
        preview.element.replaceWith(named);
        preview.element = named;
      });
      preview.element.src = preview.url;
      this.preview = preview;
    }
    return this.preview.element;
  }
}

// Assigned rather than a static field, which Safari before 14.1 (older iPhones) cannot read.
PhotoUpload.moduleName = "app-photo-upload";
