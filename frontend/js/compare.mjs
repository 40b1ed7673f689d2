// Close inspection on the compare page: zoom and pan that move both photos together (and the
// overlay), by buttons, keyboard (+, -, 0 and the arrow keys), mouse wheel, drag and pinch;
// and a slider that fades the later photo over the earlier one. Without JavaScript the page
// still shows the two photos side by side, and a form chooses which two.

const MIN_SCALE = 1;
const MAX_SCALE = 8;
const STEP = 1.5;
const PAN_STEP = 10; // per cent of the photo's box

function clamp(value, low, high) {
  return Math.min(Math.max(value, low), high);
}

function setUp(root) {
  const viewports = [...root.querySelectorAll("[data-compare-viewport]")];
  const status = root.querySelector("[data-compare-status]");
  // Translation is kept in per cent of the photo's box, so viewports of different sizes (the
  // pair and the wider overlay) show the same part of the photo.
  const state = { scale: 1, x: 0, y: 0 };

  function apply(announce) {
    state.scale = clamp(state.scale, MIN_SCALE, MAX_SCALE);
    const limit = 100 - 100 * state.scale;
    state.x = clamp(state.x, limit, 0);
    state.y = clamp(state.y, limit, 0);
    const transform = `translate(${state.x}%, ${state.y}%) scale(${state.scale})`;
    for (const image of root.querySelectorAll(".app-compare__image")) {
      image.style.transform = transform;
    }
    root.dataset.zoom = String(Math.round(state.scale * 100));
    root.classList.toggle("app-compare--zoomed", state.scale > 1);
    if (announce && status) {
      status.textContent = `Zoom ${Math.round(state.scale * 100)}%`;
    }
  }

  // Zoom by `factor` keeping the point at (fx, fy) (fractions of the viewport) where it is.
  function zoomAt(factor, fx = 0.5, fy = 0.5, announce = true) {
    const next = clamp(state.scale * factor, MIN_SCALE, MAX_SCALE);
    const ratio = next / state.scale;
    state.x = fx * 100 - (fx * 100 - state.x) * ratio;
    state.y = fy * 100 - (fy * 100 - state.y) * ratio;
    state.scale = next;
    apply(announce);
  }

  function panBy(dx, dy) {
    state.x += dx;
    state.y += dy;
    apply(false);
  }

  function reset() {
    Object.assign(state, { scale: 1, x: 0, y: 0 });
    apply(true);
  }

  const actions = { "zoom-in": () => zoomAt(STEP), "zoom-out": () => zoomAt(1 / STEP), reset };
  for (const button of root.querySelectorAll("[data-compare-action]")) {
    button.addEventListener("click", () => actions[button.dataset.compareAction]());
  }

  viewports.forEach((viewport, index) => {
    viewport.tabIndex = 0;
    viewport.setAttribute("role", "group");
    const image = viewport.querySelector("img:last-of-type");
    viewport.setAttribute("aria-label", image ? image.alt : `Photo ${index + 1}`);

    viewport.addEventListener("keydown", (event) => {
      const keys = {
        "+": () => zoomAt(STEP),
        "=": () => zoomAt(STEP),
        "-": () => zoomAt(1 / STEP),
        _: () => zoomAt(1 / STEP),
        0: reset,
        ArrowLeft: () => panBy(PAN_STEP, 0),
        ArrowRight: () => panBy(-PAN_STEP, 0),
        ArrowUp: () => panBy(0, PAN_STEP),
        ArrowDown: () => panBy(0, -PAN_STEP),
      };
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
        const factor = event.deltaY < 0 ? 1.2 : 1 / 1.2;
        zoomAt(
          factor,
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

    function distance() {
      const [a, b] = [...pointers.values()];
      return Math.hypot(a.x - b.x, a.y - b.y);
    }

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
      if (pointers.size === 1) {
        pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
        panBy(
          ((event.clientX - previous.x) / box.width) * 100,
          ((event.clientY - previous.y) / box.height) * 100,
        );
      } else if (pointers.size === 2) {
        pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
        const now = distance();
        if (pinchDistance > 0) {
          const [a, b] = [...pointers.values()];
          zoomAt(
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
  });

  const toolbar = root.querySelector(".app-compare__toolbar");
  if (toolbar) {
    toolbar.hidden = false;
  }

  const overlay = root.querySelector("[data-compare-overlay]");
  const slider = root.querySelector("[data-compare-slider]");
  const top = root.querySelector("[data-compare-top]");
  if (overlay && slider && top) {
    const fade = () => {
      top.style.opacity = String(Number(slider.value) / 100);
      slider.setAttribute("aria-valuetext", `${slider.value}% of the later photo`);
    };
    slider.addEventListener("input", fade);
    fade();
    overlay.hidden = false;
  }
  apply(false);
}

for (const root of document.querySelectorAll('[data-module="app-compare"]')) {
  setUp(root);
}
