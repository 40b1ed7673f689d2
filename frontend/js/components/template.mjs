// The markup a component adds comes from <template> elements that Jinja draws with the design
// system's macros, so it is the design system's own. Their words hold placeholders such as
// %{number}, as nhsuk-frontend's own messages do; a component fills them in.

export function templateIn(root, name) {
  const template = root.querySelector(`template[data-app-template="${name}"]`);
  if (!template) {
    throw new Error(`No <template data-app-template="${name}"> in ${root.dataset.module}`);
  }
  return template;
}

// A copy of the template's content, owned by the page (so images in it load), filled in.
export function render(template, values = {}) {
  const content = template.ownerDocument.importNode(template.content, true);
  fillIn(content, values);
  return content;
}

// Replaces each %{name} that `values` has; others stay for a later fill. One pass, so text
// from the patient or the service (a file name, a reason) is never read as a placeholder.
export function fill(text, values) {
  return text.replace(/%\{(\w+)\}/g, (placeholder, name) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : placeholder,
  );
}

function fillIn(node, values) {
  if (node.nodeType === node.TEXT_NODE) {
    node.data = fill(node.data, values);
  }
  for (const attribute of node.attributes ?? []) {
    attribute.value = fill(attribute.value, values);
  }
  for (const child of node.childNodes) {
    fillIn(child, values);
  }
}

// What a screen reader should hear of `node`: the text of its parts marked data-app-spoken, as
// sentences (a heading has no full stop of its own, and would run into the next words).
export function spokenIn(node) {
  return [...node.querySelectorAll("[data-app-spoken]")]
    .map((part) => part.textContent.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .map((words) => (/[.!?]$/.test(words) ? words : `${words}.`))
    .join(" ");
}
