// Enhances the patient's "Choose your photos" form when JavaScript runs: a preview of each
// chosen photo, a way to remove or replace it before sending, and a progress bar while the
// photos upload (a weak signal can take minutes). Without JavaScript the same form posts
// as it is, so nothing here is needed to send photos.

const form = document.querySelector('[data-module="app-photo-upload"]');

function previewFor(slot) {
  let preview = slot.querySelector(".app-photo-preview");
  if (!preview) {
    preview = document.createElement("div");
    preview.className = "app-photo-preview";
    slot.append(preview);
  }
  return preview;
}

function showPreview(slot, input) {
  const preview = previewFor(slot);
  preview.replaceChildren();
  const file = input.files && input.files[0];
  if (!file) {
    return;
  }
  const number = slot.dataset.photoSlot;
  const image = document.createElement("img");
  image.alt = `Preview of photo ${number}`;
  image.src = URL.createObjectURL(file);
  // Phones' HEIC photos cannot be previewed by most browsers; say the name instead.
  image.addEventListener("error", () => {
    image.replaceWith(Object.assign(document.createElement("p"), {
      className: "nhsuk-body-s",
      textContent: `${file.name} is ready to send (this browser cannot show a preview of it).`,
    }));
  });
  const actions = document.createElement("p");
  const remove = Object.assign(document.createElement("button"), {
    type: "button",
    className: "nhsuk-button nhsuk-button--secondary nhsuk-button--small",
    textContent: "Remove this photo",
  });
  remove.addEventListener("click", () => {
    input.value = "";
    input.dispatchEvent(new Event("change", { bubbles: true }));
    preview.replaceChildren();
    input.focus();
  });
  const replace = Object.assign(document.createElement("button"), {
    type: "button",
    className: "nhsuk-button nhsuk-button--secondary nhsuk-button--small",
    textContent: "Replace this photo",
  });
  replace.addEventListener("click", () => input.click());
  actions.append(remove, " ", replace);
  preview.append(image, actions);
}

function sendWithProgress(event) {
  event.preventDefault();
  const progress = form.querySelector(".app-upload-progress");
  const bar = progress.querySelector("progress");
  const button = form.querySelector('button[type="submit"], .nhsuk-button:not([type="button"])');
  progress.hidden = false;
  if (button) {
    button.disabled = true;
  }
  const request = new XMLHttpRequest();
  request.open("POST", form.action || window.location.href);
  request.upload.addEventListener("progress", (progressEvent) => {
    if (progressEvent.lengthComputable) {
      bar.value = Math.round((progressEvent.loaded / progressEvent.total) * 100);
    }
  });
  request.addEventListener("load", () => {
    if (request.responseURL && request.responseURL !== window.location.href) {
      window.location.assign(request.responseURL);
      return;
    }
    // The same page again, with what went wrong: show it as the browser would have.
    document.open();
    document.write(request.responseText);
    document.close();
  });
  request.addEventListener("error", () => {
    progress.hidden = true;
    if (button) {
      button.disabled = false;
    }
    window.alert("Your photos could not be sent. Check you have a signal and try again.");
  });
  request.send(new FormData(form));
}

if (form) {
  for (const slot of form.querySelectorAll("[data-photo-slot]")) {
    const input = slot.querySelector('input[type="file"]');
    input.addEventListener("change", () => showPreview(slot, input));
  }
  form.addEventListener("submit", sendWithProgress);
}
