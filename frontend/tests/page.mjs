// A page for the components' tests: jsdom holding one fixture, which is a component's root as
// the service draws it (frontend/tests/fixtures, kept in step with the Jinja templates by
// clinical_photos/core/tests/front_end_fixtures.py), with the browser globals the components
// use pointing at it. The network is a stand-in XMLHttpRequest that keeps each request for the
// test to answer; nothing of the components' own is replaced.

import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

export function openPage(fixture, { url = "https://surgery.test/" } = {}) {
  const html = readFileSync(new URL(`fixtures/${fixture}`, import.meta.url), "utf8");
  const dom = new JSDOM(
    `<!doctype html><html lang="en-GB"><head><title>Test</title></head><body>${html}</body></html>`,
    { url, pretendToBeVisual: true },
  );
  const { window } = dom;
  const requests = [];
  const previews = { made: [], revoked: [] };
  const restore = [
    ...["window", "document", "Event", "FormData"].map((name) =>
      replace(globalThis, name, window[name]),
    ),
    replace(globalThis, "XMLHttpRequest", fakeXMLHttpRequest(window, requests)),
    // The browser's previews of chosen files; Node's own accepts only Node's Blobs.
    replace(URL, "createObjectURL", (file) => {
      previews.made.push(file);
      return `blob:https://surgery.test/${previews.made.length}`;
    }),
    replace(URL, "revokeObjectURL", (url) => previews.revoked.push(url)),
  ];
  return {
    window,
    document: window.document,
    requests,
    previews,
    close() {
      // An upload left waiting would keep its 30-second timer, and the test run, going.
      for (const request of requests) {
        request.abort();
      }
      for (const undo of restore.reverse()) {
        undo();
      }
      window.close();
    },
  };
}

function replace(owner, name, value) {
  const before = Object.getOwnPropertyDescriptor(owner, name);
  Object.defineProperty(owner, name, { value, configurable: true, writable: true });
  return () => {
    if (before) {
      Object.defineProperty(owner, name, before);
    } else {
      delete owner[name];
    }
  };
}

// Chooses `file` in a file input as a person would: jsdom cannot fill a FileList, so the input's
// `files` and `value` behave as a browser's do (emptied when the value is set to "").
export function choosePhoto(input, file) {
  let files = [file];
  Object.defineProperty(input, "files", { configurable: true, get: () => files });
  Object.defineProperty(input, "value", {
    configurable: true,
    get: () => (files.length ? `C:\\fakepath\\${files[0].name}` : ""),
    set: (value) => {
      if (value === "") {
        files = [];
      }
    },
  });
  input.dispatchEvent(new input.ownerDocument.defaultView.Event("change", { bubbles: true }));
}

export function photoFile(window, name = "rash.jpg", { size = 1000, type = "image/jpeg" } = {}) {
  return new window.File([new Uint8Array(size)], name, { type });
}

// Lets the promises the components wait on settle, as the browser would between events.
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

// What is on show to a sighted person in `element`, in one line: visually hidden text left out.
export function visibleText(element) {
  const copy = element.cloneNode(true);
  for (const hidden of copy.querySelectorAll(".nhsuk-u-visually-hidden, [hidden], template")) {
    hidden.remove();
  }
  return copy.textContent.replace(/\s+/g, " ").trim();
}

// An XMLHttpRequest whose requests wait for the test to say what the network did.
function fakeXMLHttpRequest(window, requests) {
  return class XMLHttpRequest {
    constructor() {
      this.events = new window.EventTarget();
      this.upload = new window.EventTarget();
      this.headers = {};
      this.readyState = 0;
      this.status = 0;
      this.response = null;
      this.responseType = "";
    }

    addEventListener(...args) {
      this.events.addEventListener(...args);
    }

    open(method, url) {
      Object.assign(this, { method, url, readyState: 1 });
    }

    setRequestHeader(name, value) {
      this.headers[name] = value;
    }

    send(body) {
      this.body = body;
      requests.push(this);
    }

    abort() {
      if (this.done) {
        return;
      }
      this.aborted = true;
      this.end(0, null);
    }

    get done() {
      return this.readyState === 4;
    }

    // What happened on the way, for the test to say.
    progress(loaded, total) {
      const event = new window.ProgressEvent("progress", { lengthComputable: true, loaded, total });
      this.upload.dispatchEvent(event);
    }

    answer(status, json) {
      this.upload.dispatchEvent(new window.ProgressEvent("load"));
      this.end(status, this.responseType === "json" ? json : JSON.stringify(json));
    }

    loseConnection() {
      this.end(0, null);
    }

    end(status, response) {
      if (this.done) {
        return;
      }
      Object.assign(this, { readyState: 4, status, response });
      this.events.dispatchEvent(new window.ProgressEvent("loadend"));
    }
  };
}
