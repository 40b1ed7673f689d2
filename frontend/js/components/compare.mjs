// Close inspection on the compare page: zoom and pan that move both photos together (and the
// overlay), by buttons, keyboard (+, -, 0 and the arrow keys), mouse wheel, drag and pinch;
// a slider that fades the later photo over the earlier one; and turning a photo in place.
// Without JavaScript the page still shows the two photos side by side, a form chooses which
// two, and the links that turn a photo load the page with it turned; the toolbar and the
// overlay are <template> elements until this starts (records/compare.jinja).

import { Component } from "./component.mjs";
import { fill, render, templateIn } from "./template.mjs";

const MIN_SCALE = 1;
const MAX_SCALE = 8;
const STEP = 1.5;
const WHEEL_STEP = 1.2;
const PAN_STEP = 10; // per cent of the photo's box

function clamp(value, low, high) {
  return Math.min(Math.max(value, low), high);
}

// Degrees clockwise, as the page's address and the image's address say them; else none.
function quarterTurn(value) {
  return ["90", "180", "270"].includes(value) ? Number(value) : 0;
}

function withTurn(url, name, degrees) {
  const turned = new URL(url);
  if (degrees) {
    turned.searchParams.set(name, String(degrees));
  } else {
    turned.searchParams.delete(name);
  }
  return turned;
}

export class Compare extends Component {
  constructor(root) {
    super(root);
    const toolbar = templateIn(root, "toolbar");
    toolbar.replaceWith(render(toolbar));
    const overlay = root.querySelector('template[data-app-template="overlay"]');
    overlay?.replaceWith(render(overlay)); // only for photos taken the same way
    this.status = root.querySelector("[data-compare-status]");
    // Kept in per cent of the photo's box, so viewports of different sizes (the pair and the
    // wider overlay) show the same part of the photo.
    this.scale = 1;
    this.x = 0;
    this.y = 0;

    const actions = {
      "zoom-in": () => this.zoomAt(STEP),
      "zoom-out": () => this.zoomAt(1 / STEP),
      reset: () => this.reset(),
    };
    for (const button of root.querySelectorAll("[data-compare-action]")) {
      button.addEventListener("click", () => actions[button.dataset.compareAction]());
    }
    const hint = root.querySelector("[data-compare-hint]");
    root.querySelectorAll("[data-compare-viewport]").forEach((viewport, index) => {
      this.enhance(viewport, index, hint);
    });

    const slider = root.querySelector("[data-compare-slider]");
    const top = root.querySelector("[data-compare-top]");
    if (slider && top) {
      const fade = () => {
        top.style.opacity = String(Number(slider.value) / 100);
        slider.setAttribute(
          "aria-valuetext",
          fill(slider.dataset.valueWords, { value: slider.value }),
        );
      };
      slider.addEventListener("input", fade);
      fade();
    }
    // The links carry the turn in the page's address, which the server draws turned; here the
    // photo turns without the page loading again, and keeps its zoom.
    for (const link of root.querySelectorAll("[data-compare-rotate]")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.turn(new URL(link.getAttribute("href"), window.location.href), link);
      });
    }
    this.apply(false);
  }

  // Show the page as `address` asks (each photo turned as its rotate_ parameter says).
  turn(address, link) {
    for (const words of this.root.querySelectorAll("[data-compare-turned]")) {
      const which = words.dataset.compareTurned;
      const degrees = quarterTurn(address.searchParams.get(`rotate_${which}`));
      for (const image of this.root.querySelectorAll(`img[data-compare-photo="${which}"]`)) {
        const src = new URL(image.getAttribute("src"), window.location.href);
        const before = quarterTurn(src.searchParams.get("rotate"));
        if (before === degrees) {
          continue;
        }
        if ((degrees - before) % 180 !== 0) {
          // A quarter turn makes a landscape photo portrait: the box keeps its shape.
          const width = image.getAttribute("width");
          image.setAttribute("width", image.getAttribute("height"));
          image.setAttribute("height", width);
        }
        const turned = withTurn(src, "rotate", degrees);
        image.setAttribute("src", turned.pathname + turned.search);
      }
      words.textContent = degrees ? words.getAttribute(`data-words-${degrees}`) : "";
      if (link?.dataset.compareRotate === which && this.status) {
        const said = words.getAttribute(`data-words-${degrees}`);
        this.status.textContent = `${words.dataset.photoName}: ${said}`;
      }
    }
    // Each link now turns on from here.
    for (const other of this.root.querySelectorAll("[data-compare-rotate]")) {
      const name = `rotate_${other.dataset.compareRotate}`;
      const now = quarterTurn(address.searchParams.get(name));
      const next = withTurn(address, name, (now + Number(other.dataset.compareTurn) + 360) % 360);
      other.setAttribute("href", next.search);
    }
    // A reload, a bookmark or a link copied from the address bar shows the photos as they are.
    window.history.replaceState(window.history.state, "", address.pathname + address.search);
  }

  apply(announce) {
    this.scale = clamp(this.scale, MIN_SCALE, MAX_SCALE);
    const limit = 100 - 100 * this.scale;
    this.x = clamp(this.x, limit, 0);
    this.y = clamp(this.y, limit, 0);
    const transform = `translate(${this.x}%, ${this.y}%) scale(${this.scale})`;
    for (const image of this.root.querySelectorAll(".app-compare__image")) {
      image.style.transform = transform;
    }
    const percent = Math.round(this.scale * 100);
    this.root.dataset.zoom = String(percent);
    this.root.classList.toggle("app-compare--zoomed", this.scale > 1);
    if (announce && this.status) {
      this.status.textContent = fill(this.status.dataset.zoomWords, { percent });
    }
  }

  // Zoom by `factor` keeping the point at (fx, fy) (fractions of the viewport) where it is.
  zoomAt(factor, fx = 0.5, fy = 0.5, announce = true) {
    const next = clamp(this.scale * factor, MIN_SCALE, MAX_SCALE);
    const ratio = next / this.scale;
    this.x = fx * 100 - (fx * 100 - this.x) * ratio;
    this.y = fy * 100 - (fy * 100 - this.y) * ratio;
    this.scale = next;
    this.apply(announce);
  }

  panBy(dx, dy) {
    this.x += dx;
    this.y += dy;
    this.apply(false);
  }

  reset() {
    Object.assign(this, { scale: 1, x: 0, y: 0 });
    this.apply(true);
  }

  // A photo's box becomes something to focus and move: only with JavaScript, since without it
  // there is nothing to do there.
  enhance(viewport, index, hint) {
    viewport.tabIndex = 0;
    viewport.setAttribute("role", "group");
    const image = viewport.querySelector("img:last-of-type");
    viewport.setAttribute("aria-label", image ? image.alt : `Photo ${index + 1}`);
    if (hint) {
      viewport.setAttribute("aria-describedby", hint.id);
    }

    const keys = {
      "+": () => this.zoomAt(STEP),
      "=": () => this.zoomAt(STEP),
      "-": () => this.zoomAt(1 / STEP),
      _: () => this.zoomAt(1 / STEP),
      0: () => this.reset(),
      ArrowLeft: () => this.panBy(PAN_STEP, 0),
      ArrowRight: () => this.panBy(-PAN_STEP, 0),
      ArrowUp: () => this.panBy(0, PAN_STEP),
      ArrowDown: () => this.panBy(0, -PAN_STEP),
    };
    viewport.addEventListener("keydown", (event) => {
      const action = keys[event.key];
      if (action && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        action();
      }
    });

    viewport.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        const box = viewport.getBoundingClientRect();
        this.zoomAt(
          event.deltaY < 0 ? WHEEL_STEP : 1 / WHEEL_STEP,
          (event.clientX - box.left) / box.width,
          (event.clientY - box.top) / box.height,
          false,
        );
      },
      { passive: false },
    );

    // Drag with one pointer; pinch with two.
    const pointers = new Map();
    let pinchDistance = 0;
    const distance = () => {
      const [a, b] = [...pointers.values()];
      return Math.hypot(a.x - b.x, a.y - b.y);
    };

    viewport.addEventListener("pointerdown", (event) => {
      viewport.setPointerCapture(event.pointerId);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 2) {
        pinchDistance = distance();
      }
    });

    viewport.addEventListener("pointermove", (event) => {
      const previous = pointers.get(event.pointerId);
      if (!previous) {
        return;
      }
      const box = viewport.getBoundingClientRect();
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 1) {
        this.panBy(
          ((event.clientX - previous.x) / box.width) * 100,
          ((event.clientY - previous.y) / box.height) * 100,
        );
      } else if (pointers.size === 2) {
        const now = distance();
        if (pinchDistance > 0) {
          const [a, b] = [...pointers.values()];
          this.zoomAt(
            now / pinchDistance,
            ((a.x + b.x) / 2 - box.left) / box.width,
            ((a.y + b.y) / 2 - box.top) / box.height,
            false,
          );
        }
        pinchDistance = now;
      }
    });

    const release = (event) => {
      pointers.delete(event.pointerId);
      pinchDistance = pointers.size === 2 ? distance() : 0;
    };
    viewport.addEventListener("pointerup", release);
    viewport.addEventListener("pointercancel", release);
  }
}

// Assigned rather than a static field, which Safari before 14.1 (older iPhones) cannot read.
Compare.moduleName = "app-compare";
