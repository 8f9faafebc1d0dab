// Moves the focus to a confirmation shown where the user acted (data-focus-on-load), so a
// screen reader announces it and keyboard users continue from there.
const target = document.querySelector("[data-focus-on-load]");
if (target) {
  target.focus();
}
