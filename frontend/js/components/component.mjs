// Our components take the shape of nhsuk-frontend's own (a class with a `moduleName`, built on
// the element whose data-module names it), so main.mjs starts them with the design system's
// createAll, which keeps one broken component from stopping the rest.
export class Component {
  constructor(root) {
    const { moduleName } = this.constructor;
    if (root?.dataset?.module !== moduleName) {
      throw new Error(`${moduleName} needs an element with data-module="${moduleName}"`);
    }
    // Started twice, a component would answer every event twice: a photo would upload twice.
    if (root.hasAttribute(`data-${moduleName}-init`)) {
      throw new Error(`${moduleName} has already started on this element`);
    }
    root.setAttribute(`data-${moduleName}-init`, "");
    this.root = root;
  }
}
