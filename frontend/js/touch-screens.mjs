// The design system's file chooser says "or drop file" beside its button. On a phone or a
// tablet there is no mouse to drag a file with, so there it says only "Choose file". It reads
// its words from data-i18n.* attributes when it starts, so this runs before it does.
export function withoutDropOnTouchScreens(scope = document, matchMedia = window.matchMedia) {
  // The main pointer is a finger: a laptop with a touch screen and a mouse keeps the words.
  if (!matchMedia.call(window, "(pointer: coarse)").matches) {
    return;
  }
  for (const chooser of scope.querySelectorAll('[data-module="nhsuk-file-upload"]')) {
    chooser.setAttribute("data-i18n.drop-instruction", "");
  }
}
